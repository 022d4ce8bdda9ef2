-- Operator-defined detection rules (JSON definition) and the adjustments operator feedback made.
CREATE TABLE detection_rules (
    name       TEXT   NOT NULL PRIMARY KEY,
    definition TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE detection_adjustments (
    subject      TEXT             NOT NULL,
    rule         TEXT             NOT NULL,
    factor       DOUBLE PRECISION NOT NULL,
    silent_until BIGINT,
    updated_at   BIGINT           NOT NULL,
    PRIMARY KEY (subject, rule)
);

-- Quarantines detection proposed that wait for an operator's approval.
CREATE TABLE detection_pending (
    id         TEXT   NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    device     TEXT   NOT NULL,
    rule       TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    alert_id   TEXT   NOT NULL
);
