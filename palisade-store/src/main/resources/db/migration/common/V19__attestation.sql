-- TPM attestation: each device's attestation key (pinned at its first quote), and the PCR values a profile's
-- devices may quote (computed from signed firmware images by `palisade attest expect`; several per PCR while a
-- roll-out moves devices from one image to the next). Public values only.
CREATE TABLE attestation_keys (
    device     TEXT   NOT NULL PRIMARY KEY,
    spki       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE attestation_expectations (
    profile    TEXT    NOT NULL,
    pcr        INTEGER NOT NULL,
    value      TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (profile, pcr, value)
);
