-- Palisade schema for SQLite and PostgreSQL alike; the only dialect difference is the auto_id placeholder (Migrations.java).
-- Times are epoch milliseconds (BIGINT) so both dialects compare them the same way.
CREATE TABLE devices (
    id          TEXT    NOT NULL PRIMARY KEY,
    profile     TEXT    NOT NULL,
    segment     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    quarantined INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- Only a salted hash of each one-time token is stored (hex), never the token.
CREATE TABLE enrollment_tokens (
    device_id  TEXT   NOT NULL PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    salt       TEXT   NOT NULL,
    hash       TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE certificates (
    serial     TEXT   NOT NULL PRIMARY KEY,
    device_id  TEXT   NOT NULL REFERENCES devices (id),
    not_before BIGINT NOT NULL,
    not_after  BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX certificates_by_device ON certificates (device_id);

CREATE TABLE events (
    id       ${auto_id},
    time     BIGINT  NOT NULL,
    type     TEXT    NOT NULL,
    severity TEXT    NOT NULL,
    device   TEXT,
    source   TEXT    NOT NULL,
    message  TEXT    NOT NULL,
    details  TEXT    NOT NULL
);
CREATE INDEX events_by_device ON events (device, id);
CREATE INDEX events_by_type ON events (type, id);
