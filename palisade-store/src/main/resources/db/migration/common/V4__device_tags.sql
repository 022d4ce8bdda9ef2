-- Device tags (comma-separated valid names), for roll-out targeting.
ALTER TABLE devices ADD COLUMN tags TEXT NOT NULL DEFAULT '';
