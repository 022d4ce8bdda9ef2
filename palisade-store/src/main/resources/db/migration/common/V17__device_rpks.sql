-- Devices' raw public keys for DTLS (palisade device rpk): one per device, found by the SHA-256 of its DER
-- SubjectPublicKeyInfo. Public keys: nothing here is secret.
CREATE TABLE device_rpks (
    device     TEXT   NOT NULL PRIMARY KEY,
    spki_hash  TEXT   NOT NULL UNIQUE,
    spki       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
