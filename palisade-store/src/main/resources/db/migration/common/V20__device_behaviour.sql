-- What detection learned of each device (JSON, the detector's checkpoint format), so that the instance a device's
-- session moves to continues from it. last_seen: when the saving instance last saw the device (epoch ms); a save
-- only replaces a state seen earlier.
CREATE TABLE device_behaviour (
    device    TEXT   NOT NULL PRIMARY KEY,
    state     TEXT   NOT NULL,
    last_seen BIGINT NOT NULL,
    instance  TEXT   NOT NULL
);

-- Each instance's cohort models (JSON), so that a new instance does not start them from nothing.
CREATE TABLE cohort_models (
    instance TEXT   NOT NULL PRIMARY KEY,
    state    TEXT   NOT NULL,
    saved_at BIGINT NOT NULL
);
