package io.palisade.store;

import io.palisade.core.device.DeviceId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** Devices' raw public keys ({@code device_rpks}), found by the SHA-256 of the DER SubjectPublicKeyInfo. */
public final class SqlRpkStore {

    private final Database database;

    public SqlRpkStore(Database database) {
        this.database = database;
    }

    public static String hash(byte[] spki) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Sets (or replaces) the device's key; answers whether it replaced one. */
    public boolean put(DeviceId device, byte[] spki, Instant now) {
        return database.transaction("save the raw public key of " + device, c -> {
            boolean replaced;
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM device_rpks WHERE device = ? OR spki_hash = ?")) {
                delete.setString(1, device.value());
                delete.setString(2, hash(spki));
                replaced = delete.executeUpdate() > 0;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO device_rpks (device, spki_hash, spki, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, device.value());
                insert.setString(2, hash(spki));
                insert.setString(3, Base64.getEncoder().encodeToString(spki));
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return replaced;
        });
    }

    public Optional<DeviceId> deviceOf(byte[] spki) {
        return database.transaction("find a raw public key", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT device FROM device_rpks WHERE spki_hash = ?")) {
                select.setString(1, hash(spki));
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(DeviceId.of(rows.getString(1))) : Optional.<DeviceId>empty();
                }
            }
        });
    }

    public boolean delete(DeviceId device) {
        return database.transaction("delete the raw public key of " + device, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_rpks WHERE device = ?")) {
                delete.setString(1, device.value());
                return delete.executeUpdate() > 0;
            }
        });
    }
}
