package io.palisade.store;

import io.palisade.core.device.DeviceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ZigBee / 802.15.4 keys (sealed by the caller; this store never sees a key in the clear) and the bindings of IEEE
 * addresses to registered devices.
 */
public final class SqlZigbeeStore {

    /** A sealed key: its kind ({@code network}, {@code mac}, {@code link}) and name within the kind. */
    public record StoredKey(String kind, String name, byte[] sealed, Instant createdAt) {
    }

    public record Binding(String ieee, DeviceId device, Instant createdAt) {
    }

    private final Database database;

    public SqlZigbeeStore(Database database) {
        this.database = database;
    }

    /** Adds or replaces a key; answers whether it replaced one. */
    public boolean putKey(String kind, String name, byte[] sealed, Instant now) {
        return database.transaction("save the ZigBee " + kind + " key " + name, c -> {
            boolean replaced = deleteKey(c, kind, name);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO zigbee_keys (kind, name, sealed, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, kind);
                insert.setString(2, name);
                insert.setString(3, Base64.getEncoder().encodeToString(sealed));
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return replaced;
        });
    }

    public boolean deleteKey(String kind, String name) {
        return database.transaction("delete the ZigBee " + kind + " key " + name, c -> deleteKey(c, kind, name));
    }

    public List<StoredKey> keys() {
        return database.transaction("list ZigBee keys", c -> {
            List<StoredKey> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT kind, name, sealed, created_at FROM zigbee_keys ORDER BY kind, name");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.add(new StoredKey(rows.getString(1), rows.getString(2),
                            Base64.getDecoder().decode(rows.getString(3)), Instant.ofEpochMilli(rows.getLong(4))));
                }
            }
            return out;
        });
    }

    /** Binds (or rebinds) an IEEE address to a device; answers whether it replaced a binding. */
    public boolean bind(String ieee, DeviceId device, Instant now) {
        return database.transaction("bind " + ieee + " to " + device, c -> {
            boolean replaced = unbind(c, ieee);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO zigbee_devices (ieee, device, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, ieee);
                insert.setString(2, device.value());
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return replaced;
        });
    }

    public boolean unbind(String ieee) {
        return database.transaction("unbind " + ieee, c -> unbind(c, ieee));
    }

    public List<Binding> bindings() {
        return database.transaction("list ZigBee bindings", c -> {
            List<Binding> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT ieee, device, created_at FROM zigbee_devices ORDER BY ieee");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.add(new Binding(rows.getString(1), DeviceId.of(rows.getString(2)),
                            Instant.ofEpochMilli(rows.getLong(3))));
                }
            }
            return out;
        });
    }

    private static boolean deleteKey(Connection c, String kind, String name) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM zigbee_keys WHERE kind = ? AND name = ?")) {
            delete.setString(1, kind);
            delete.setString(2, name);
            return delete.executeUpdate() > 0;
        }
    }

    private static boolean unbind(Connection c, String ieee) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM zigbee_devices WHERE ieee = ?")) {
            delete.setString(1, ieee);
            return delete.executeUpdate() > 0;
        }
    }
}
