-- When a roll-out's current wave started (or was resumed): its deadline runs from here. Null for roll-outs
-- stored before this column, whose deadline then runs from their last update.
ALTER TABLE rollouts ADD COLUMN wave_started_at BIGINT;
