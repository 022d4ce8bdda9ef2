-- The RFID token vault: what each tag's token stands for, encrypted with a key of its own (wrapped by the sealing
-- key, outside the database); erasing a record destroys its key (crypto-erase) and its ciphertext.
CREATE TABLE rfid_records (
    token       TEXT   NOT NULL PRIMARY KEY,
    state       TEXT   NOT NULL,
    wrapped_key TEXT,
    ciphertext  TEXT,
    passwords   TEXT,
    successor   TEXT,
    created_at  BIGINT NOT NULL,
    changed_at  BIGINT NOT NULL
);
-- Readers (enrolled devices), where they stand on the site's plan in metres, and the LLRP address Palisade
-- connects to for readers that report over LLRP rather than MQTT.
CREATE TABLE rfid_readers (
    reader     TEXT             NOT NULL PRIMARY KEY,
    x          DOUBLE PRECISION NOT NULL,
    y          DOUBLE PRECISION NOT NULL,
    llrp       TEXT,
    created_at BIGINT           NOT NULL
);
-- The last sighting of each token, for clone detection.
CREATE TABLE rfid_last_seen (
    token   TEXT   NOT NULL PRIMARY KEY,
    reader  TEXT   NOT NULL,
    seen_at BIGINT NOT NULL
);
-- Kill and access passwords released by an operator to one reader for one operation on one tag: claimed once, by
-- that reader over mutual TLS, before it expires.
CREATE TABLE rfid_releases (
    id         TEXT   NOT NULL PRIMARY KEY,
    token      TEXT   NOT NULL,
    reader     TEXT   NOT NULL,
    operation  TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    claimed_at BIGINT
);
