-- Devices' pre-shared keys for CoAP over DTLS (palisade device psk), sealed (AES-256-GCM, key outside the database).
CREATE TABLE device_psks (
    device     TEXT   NOT NULL PRIMARY KEY,
    sealed     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
