-- SIEM destinations (palisade siem add) and how far delivery to each has got.
-- types: comma-separated event type wire names, empty for every type. Secrets (client keys, webhook
-- signing keys) are not here: they are files in the data directory, mode 0600.
CREATE TABLE siem_destinations (
    name         TEXT   NOT NULL PRIMARY KEY,
    url          TEXT   NOT NULL,
    format       TEXT   NOT NULL,
    min_severity TEXT   NOT NULL,
    types        TEXT   NOT NULL,
    ca_pem       TEXT,
    cert_pem     TEXT,
    created_at   BIGINT NOT NULL,
    delivered_id BIGINT NOT NULL
);
