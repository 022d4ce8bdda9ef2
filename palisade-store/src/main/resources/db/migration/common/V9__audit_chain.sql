-- The audit chain: each event's link, SHA-256(previous link || canonical event) as hex (NULL for events
-- stored before this migration); signed checkpoints pinning a link; signed gap records standing for runs
-- of events that retention pruned (the link before the first event after the gap).
ALTER TABLE events ADD COLUMN chain_hash TEXT;

CREATE TABLE event_checkpoints (
    event_id   BIGINT NOT NULL PRIMARY KEY,
    chain_hash TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    signature  TEXT   NOT NULL
);

CREATE TABLE event_gaps (
    next_id       BIGINT NOT NULL PRIMARY KEY,
    previous_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    signature     TEXT   NOT NULL
);
