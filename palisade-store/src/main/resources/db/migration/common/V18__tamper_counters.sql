-- The highest tamper report counter seen from each device: a report at or below it is a replay.
CREATE TABLE tamper_counters (
    device     TEXT   NOT NULL PRIMARY KEY,
    counter    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
