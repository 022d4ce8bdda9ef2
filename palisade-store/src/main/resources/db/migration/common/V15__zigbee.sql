-- ZigBee / 802.15.4 keys (palisade zigbee key ...), sealed like PSKs (AES-256-GCM, key outside the database):
-- kind 'network' (name = key sequence number), 'mac' (name = 802.15.4 key index), 'link' (name = IEEE address).
CREATE TABLE zigbee_keys (
    kind       TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    sealed     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, name)
);
-- Which registered device an IEEE address is (palisade zigbee bind).
CREATE TABLE zigbee_devices (
    ieee       TEXT   NOT NULL PRIMARY KEY,
    device     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
-- Frame-counter windows per sender and key: the highest counter accepted and the 64 below it already seen.
CREATE TABLE radio_frame_counters (
    window_key TEXT   NOT NULL PRIMARY KEY,
    highest    BIGINT NOT NULL,
    seen       BIGINT NOT NULL
);
