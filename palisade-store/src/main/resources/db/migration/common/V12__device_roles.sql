-- The role a device's certificates carry (palisade device add --role), for role-based rules such as the Modbus
-- firewall's (Modbus/TCP Security's role extension).
ALTER TABLE devices ADD COLUMN role TEXT;
