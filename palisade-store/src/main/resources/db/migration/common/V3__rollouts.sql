-- Firmware roll-outs: the roll-out (its spec as JSON) and one row per device in its planned order.
CREATE TABLE rollouts (
    id         TEXT    NOT NULL PRIMARY KEY,
    spec       TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    wave       INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE TABLE rollout_members (
    rollout_id TEXT    NOT NULL REFERENCES rollouts (id),
    position   INTEGER NOT NULL,
    device_id  TEXT    NOT NULL,
    wave       INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    detail     TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (rollout_id, device_id)
);
