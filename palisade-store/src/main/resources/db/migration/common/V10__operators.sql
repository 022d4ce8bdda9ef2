-- Operators (palisade operator add) and their API tokens. Passwords are Argon2id hashes (PHC strings); tokens
-- are kept as SHA-256 hex only. totp_secret is the RFC 6238 secret (hex) when TOTP is on.
CREATE TABLE operators (
    name          TEXT    NOT NULL PRIMARY KEY,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    totp_secret   TEXT,
    failures      INTEGER NOT NULL,
    locked_until  BIGINT,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE operator_tokens (
    id         TEXT   NOT NULL PRIMARY KEY,
    operator   TEXT   NOT NULL REFERENCES operators (name) ON DELETE CASCADE,
    hash       TEXT   NOT NULL UNIQUE,
    label      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX operator_tokens_by_operator ON operator_tokens (operator);
