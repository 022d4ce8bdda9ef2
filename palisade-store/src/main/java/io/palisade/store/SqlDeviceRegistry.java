package io.palisade.store;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.RevocationReason;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.IssuedCertificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link DeviceRegistry} on SQL; every method is one transaction. */
public final class SqlDeviceRegistry implements DeviceRegistry {

    private static final HexFormat HEX = HexFormat.of();
    private static final String DEVICE_COLUMNS = "id, profile, segment, state, quarantined, created_at, updated_at,"
            + " tags, role";

    private final Database database;

    public SqlDeviceRegistry(Database database) {
        this.database = database;
    }

    @Override
    public void add(Device device, EnrollmentToken token) {
        database.transaction("add device " + device.id(), c -> {
            if (findDevice(c, device.id()).isPresent()) {
                throw new DuplicateDeviceException(device.id());
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO devices (" + DEVICE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, device.id().value());
                insert.setString(2, device.profile());
                insert.setString(3, device.segment());
                insert.setString(4, device.state().name());
                insert.setInt(5, device.quarantined() ? 1 : 0);
                insert.setLong(6, device.createdAt().toEpochMilli());
                insert.setLong(7, device.updatedAt().toEpochMilli());
                insert.setString(8, String.join(",", device.tags()));
                insert.setString(9, device.role().orElse(null));
                insert.executeUpdate();
            }
            upsertToken(c, token);
            return null;
        });
    }

    @Override
    public Optional<Device> find(DeviceId id) {
        return database.transaction("find device " + id, c -> findDevice(c, id));
    }

    @Override
    public List<Device> list() {
        return database.transaction("list devices", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM devices ORDER BY id");
                 ResultSet rows = query.executeQuery()) {
                List<Device> devices = new ArrayList<>();
                while (rows.next()) {
                    devices.add(device(rows));
                }
                return devices;
            }
        });
    }

    @Override
    public boolean update(Device device) {
        return database.transaction("update device " + device.id(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE devices SET profile = ?, segment = ?, state = ?,"
                    + " quarantined = ?, updated_at = ?, tags = ? WHERE id = ?")) {
                update.setString(1, device.profile());
                update.setString(2, device.segment());
                update.setString(3, device.state().name());
                update.setInt(4, device.quarantined() ? 1 : 0);
                update.setLong(5, device.updatedAt().toEpochMilli());
                update.setString(6, String.join(",", device.tags()));
                update.setString(7, device.id().value());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void replaceToken(EnrollmentToken token) {
        database.transaction("replace enrollment token of " + token.device(), c -> {
            upsertToken(c, token);
            return null;
        });
    }

    @Override
    public Optional<EnrollmentToken> findToken(DeviceId id) {
        return database.transaction("find enrollment token of " + id, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT salt, hash, expires_at, used_at FROM enrollment_tokens WHERE device_id = ?")) {
                query.setString(1, id.value());
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new EnrollmentToken(id, HEX.parseHex(rows.getString(1)),
                            HEX.parseHex(rows.getString(2)), Instant.ofEpochMilli(rows.getLong(3)),
                            optionalInstant(rows, 4)));
                }
            }
        });
    }

    @Override
    public boolean consumeTokenAndRecord(DeviceId id, Instant usedAt, IssuedCertificate certificate) {
        return database.transaction("consume enrollment token of " + id, c -> {
            try (PreparedStatement consume = c.prepareStatement(
                    "UPDATE enrollment_tokens SET used_at = ? WHERE device_id = ? AND used_at IS NULL")) {
                consume.setLong(1, usedAt.toEpochMilli());
                consume.setString(2, id.value());
                if (consume.executeUpdate() != 1) {
                    return false;
                }
            }
            insertCertificate(c, certificate);
            setState(c, id, DeviceState.ENROLLED, usedAt);
            return true;
        });
    }

    @Override
    public void recordCertificate(IssuedCertificate certificate) {
        database.transaction("record certificate " + certificate.serial(), c -> {
            insertCertificate(c, certificate);
            return null;
        });
    }

    @Override
    public Optional<IssuedCertificate> findCertificate(String serial) {
        return database.transaction("find certificate " + serial, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + CERTIFICATE_COLUMNS + " FROM certificates WHERE serial = ?")) {
                query.setString(1, serial.toLowerCase(Locale.ROOT));
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(certificate(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> revoke(DeviceId id, Instant now, RevocationReason reason) {
        return database.transaction("revoke device " + id, c -> revokeAll(c, id, now, reason, DeviceState.REVOKED));
    }

    @Override
    public List<String> revokeCertificates(DeviceId id, Instant now, RevocationReason reason) {
        return database.transaction("revoke the certificates of " + id,
                c -> revokeAll(c, id, now, reason, DeviceState.REGISTERED));
    }

    @Override
    public boolean delete(DeviceId id) {
        return database.transaction("delete device " + id, c -> {
            for (String table : List.of("certificates", "enrollment_tokens")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE device_id = ?")) {
                    delete.setString(1, id.value());
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM devices WHERE id = ?")) {
                delete.setString(1, id.value());
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public java.util.Map<DeviceId, Instant> certificateExpiries() {
        return instantPerDevice("find when devices' certificates expire",
                "SELECT device_id, MAX(not_after) FROM certificates WHERE revoked_at IS NULL GROUP BY device_id");
    }

    @Override
    public java.util.Map<DeviceId, Instant> lastCertificateIssued() {
        return instantPerDevice("find when devices were last issued certificates",
                "SELECT device_id, MAX(not_before) FROM certificates GROUP BY device_id");
    }

    /** Runs {@code sql}, which selects a device id and a time in epoch milliseconds per device. */
    private java.util.Map<DeviceId, Instant> instantPerDevice(String what, String sql) {
        return database.transaction(what, c -> {
            java.util.Map<DeviceId, Instant> times = new java.util.HashMap<>();
            try (PreparedStatement query = c.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    times.put(DeviceId.of(rows.getString(1)), Instant.ofEpochMilli(rows.getLong(2)));
                }
            }
            return times;
        });
    }

    @Override
    public List<IssuedCertificate> certificatesOf(DeviceId id) {
        return database.transaction("list the certificates of " + id, c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + CERTIFICATE_COLUMNS
                    + " FROM certificates WHERE device_id = ? ORDER BY not_before DESC, serial")) {
                query.setString(1, id.value());
                try (ResultSet rows = query.executeQuery()) {
                    List<IssuedCertificate> certificates = new ArrayList<>();
                    while (rows.next()) {
                        certificates.add(certificate(rows));
                    }
                    return certificates;
                }
            }
        });
    }

    /** Revokes the device's certificates, burns its outstanding token and moves it to {@code next}. */
    private List<String> revokeAll(Connection c, DeviceId id, Instant now, RevocationReason reason, DeviceState next)
            throws SQLException {
        List<String> serials = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "SELECT serial FROM certificates WHERE device_id = ? AND revoked_at IS NULL ORDER BY serial")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    serials.add(rows.getString(1));
                }
            }
        }
        try (PreparedStatement revoke = c.prepareStatement(
                "UPDATE certificates SET revoked_at = ?, revocation_reason = ? WHERE device_id = ? AND revoked_at IS NULL")) {
            revoke.setLong(1, now.toEpochMilli());
            revoke.setString(2, reason.wireName());
            revoke.setString(3, id.value());
            revoke.executeUpdate();
        }
        // A revoked identity must not come back through an outstanding enrollment token.
        try (PreparedStatement burn = c.prepareStatement(
                "UPDATE enrollment_tokens SET used_at = ? WHERE device_id = ? AND used_at IS NULL")) {
            burn.setLong(1, now.toEpochMilli());
            burn.setString(2, id.value());
            burn.executeUpdate();
        }
        setState(c, id, next, now);
        return serials;
    }

    @Override
    public List<IssuedCertificate> revokedUnexpired(Instant now) {
        return database.transaction("list revoked certificates", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + CERTIFICATE_COLUMNS
                    + " FROM certificates WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY serial")) {
                query.setLong(1, now.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    List<IssuedCertificate> revoked = new ArrayList<>();
                    while (rows.next()) {
                        revoked.add(certificate(rows));
                    }
                    return revoked;
                }
            }
        });
    }

    @Override
    public List<IssuedCertificate> revokeSuperseded(Instant supersededBefore, Instant now) {
        String superseded = " FROM certificates WHERE revoked_at IS NULL AND EXISTS (SELECT 1 FROM certificates newer"
                + " WHERE newer.device_id = certificates.device_id AND newer.not_before > certificates.not_before"
                + " AND newer.not_before <= ?)";
        return database.transaction("revoke superseded certificates", c -> {
            List<IssuedCertificate> found = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement("SELECT " + CERTIFICATE_COLUMNS + superseded
                    + " ORDER BY serial")) {
                query.setLong(1, supersededBefore.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(certificate(rows));
                    }
                }
            }
            try (PreparedStatement revoke = c.prepareStatement("UPDATE certificates SET revoked_at = ?, revocation_reason = ? WHERE serial = ?")) {
                for (IssuedCertificate certificate : found) {
                    revoke.setLong(1, now.toEpochMilli());
                    revoke.setString(2, RevocationReason.SUPERSEDED.wireName());
                    revoke.setString(3, certificate.serial());
                    revoke.addBatch();
                }
                revoke.executeBatch();
            }
            return found.stream().map(cert -> new IssuedCertificate(cert.serial(), cert.device(), cert.notBefore(),
                    cert.notAfter(), Optional.of(now), RevocationReason.SUPERSEDED)).toList();
        });
    }

    private static Optional<Device> findDevice(Connection c, DeviceId id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE id = ?")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(device(rows)) : Optional.empty();
            }
        }
    }

    private static void setState(Connection c, DeviceId id, DeviceState state, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE devices SET state = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, state.name());
            update.setLong(2, now.toEpochMilli());
            update.setString(3, id.value());
            update.executeUpdate();
        }
    }

    private static void upsertToken(Connection c, EnrollmentToken token) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM enrollment_tokens WHERE device_id = ?")) {
            delete.setString(1, token.device().value());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO enrollment_tokens (device_id, salt, hash, expires_at, used_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, token.device().value());
            insert.setString(2, HEX.formatHex(token.salt()));
            insert.setString(3, HEX.formatHex(token.hash()));
            insert.setLong(4, token.expiresAt().toEpochMilli());
            if (token.usedAt().isPresent()) {
                insert.setLong(5, token.usedAt().get().toEpochMilli());
            } else {
                insert.setNull(5, java.sql.Types.BIGINT);
            }
            insert.executeUpdate();
        }
    }

    private static void insertCertificate(Connection c, IssuedCertificate certificate) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO certificates (serial, device_id, not_before, not_after, revoked_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, certificate.serial().toLowerCase(Locale.ROOT));
            insert.setString(2, certificate.device().value());
            insert.setLong(3, certificate.notBefore().toEpochMilli());
            insert.setLong(4, certificate.notAfter().toEpochMilli());
            insert.setNull(5, java.sql.Types.BIGINT);
            insert.executeUpdate();
        }
    }

    private static Device device(ResultSet rows) throws SQLException {
        String tags = rows.getString(8);
        return new Device(DeviceId.of(rows.getString(1)), rows.getString(2), rows.getString(3),
                DeviceState.valueOf(rows.getString(4)), rows.getInt(5) != 0,
                Instant.ofEpochMilli(rows.getLong(6)), Instant.ofEpochMilli(rows.getLong(7)),
                tags == null || tags.isEmpty() ? java.util.Set.of() : java.util.Set.of(tags.split(",")),
                Optional.ofNullable(rows.getString(9)));
    }

    /** Read by {@link #certificate(ResultSet)}, in this order. */
    private static final String CERTIFICATE_COLUMNS = "serial, device_id, not_before, not_after, revoked_at, revocation_reason";

    private static IssuedCertificate certificate(ResultSet rows) throws SQLException {
        String reason = rows.getString(6);
        return new IssuedCertificate(rows.getString(1), DeviceId.of(rows.getString(2)),
                Instant.ofEpochMilli(rows.getLong(3)), Instant.ofEpochMilli(rows.getLong(4)), optionalInstant(rows, 5),
                reason == null ? RevocationReason.UNSPECIFIED : RevocationReason.fromWireName(reason));
    }

    private static Optional<Instant> optionalInstant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
