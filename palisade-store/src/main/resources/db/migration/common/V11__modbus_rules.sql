-- The Modbus/TCP firewall's rules (palisade modbus rule set), stored as their API JSON.
CREATE TABLE modbus_rules (
    name       TEXT   NOT NULL PRIMARY KEY,
    body       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
