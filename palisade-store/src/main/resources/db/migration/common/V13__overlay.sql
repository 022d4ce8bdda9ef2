-- The isolation overlay (palisade overlay ...): legacy hosts' addresses, and grants of tunnels to them.
CREATE TABLE overlay_hosts (
    device       TEXT   NOT NULL PRIMARY KEY,
    address      TEXT   NOT NULL,
    modbus_ports TEXT   NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Grants are never edited, only revoked: they are the record of who could reach what, when and why.
CREATE TABLE overlay_grants (
    id         TEXT    NOT NULL PRIMARY KEY,
    subject    TEXT    NOT NULL,
    device     TEXT    NOT NULL,
    port       INTEGER NOT NULL,
    granted_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    reason     TEXT    NOT NULL,
    granted_by TEXT    NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE INDEX overlay_grants_by_pair ON overlay_grants (subject, device);
