package io.palisade.store;

import io.palisade.core.device.DeviceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Devices' sealed pre-shared keys on SQL (base64 text, so both dialects store them alike); one per device. */
public final class SqlPskStore {

    private final Database database;

    public SqlPskStore(Database database) {
        this.database = database;
    }

    public Optional<byte[]> find(DeviceId device) {
        return database.transaction("find the PSK of " + device, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT sealed FROM device_psks WHERE device = ?")) {
                select.setString(1, device.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(Base64.getDecoder().decode(rows.getString(1)))
                            : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** Adds or replaces the device's key; answers whether it replaced one. */
    public boolean put(DeviceId device, byte[] sealed, Instant now) {
        return database.transaction("save the PSK of " + device, c -> {
            boolean replaced = delete(c, device);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO device_psks (device, sealed, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, device.value());
                insert.setString(2, Base64.getEncoder().encodeToString(sealed));
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return replaced;
        });
    }

    public boolean delete(DeviceId device) {
        return database.transaction("delete the PSK of " + device, c -> delete(c, device));
    }

    private static boolean delete(java.sql.Connection c, DeviceId device) throws java.sql.SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_psks WHERE device = ?")) {
            delete.setString(1, device.value());
            return delete.executeUpdate() > 0;
        }
    }
}
