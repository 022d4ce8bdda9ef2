-- Topic policies per profile or segment (JSON body), and segments under quarantine.
CREATE TABLE policies (
    scope_kind TEXT   NOT NULL,
    scope_name TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (scope_kind, scope_name)
);

CREATE TABLE segments (
    name        TEXT    NOT NULL PRIMARY KEY,
    quarantined INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT  NOT NULL
);
