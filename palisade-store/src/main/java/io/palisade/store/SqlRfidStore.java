package io.palisade.store;

import io.palisade.core.device.DeviceId;
import io.palisade.core.rfid.ReaderLocation;
import io.palisade.core.rfid.RfidToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RFID vault's tables: records (sealed by the caller: this store never sees a record or its key in the clear),
 * readers' locations, and each token's last sighting.
 */
public final class SqlRfidStore {

    public enum State { ACTIVE, ROTATED, ERASED }

    /** A record as stored; {@code wrappedKey} and {@code ciphertext} are empty once erased. */
    public record StoredRecord(RfidToken token, State state, Optional<byte[]> wrappedKey, Optional<byte[]> ciphertext,
                               Optional<RfidToken> successor, Instant createdAt, Instant changedAt) {
    }

    public record Sighting(DeviceId reader, Instant at) {
    }

    /** A placed reader; {@code llrp} is HOST:PORT when Palisade connects to it over LLRP. */
    public record Reader(ReaderLocation location, Optional<String> llrp) {
    }

    private final Database database;

    public SqlRfidStore(Database database) {
        this.database = database;
    }

    public void insert(RfidToken token, byte[] wrappedKey, byte[] ciphertext, Instant now) {
        database.transaction("store the RFID record of " + token, c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rfid_records (token, state, wrapped_key,"
                    + " ciphertext, successor, created_at, changed_at) VALUES (?, 'ACTIVE', ?, ?, NULL, ?, ?)")) {
                insert.setString(1, token.hex());
                insert.setString(2, Base64.getEncoder().encodeToString(wrappedKey));
                insert.setString(3, Base64.getEncoder().encodeToString(ciphertext));
                insert.setLong(4, now.toEpochMilli());
                insert.setLong(5, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    public Optional<StoredRecord> find(RfidToken token) {
        return database.transaction("find the RFID record of " + token, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT token, state, wrapped_key, ciphertext,"
                    + " successor, created_at, changed_at FROM rfid_records WHERE token = ?")) {
                select.setString(1, token.hex());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(record(rows)) : Optional.<StoredRecord>empty();
                }
            }
        });
    }

    public List<StoredRecord> list() {
        return database.transaction("list RFID records", c -> {
            List<StoredRecord> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT token, state, NULL, NULL, successor,"
                    + " created_at, changed_at FROM rfid_records ORDER BY created_at, token");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.add(record(rows));
                }
            }
            return out;
        });
    }

    /**
     * Ends a record: its key and ciphertext are overwritten with nothing, its state becomes {@code state} (ROTATED
     * with the successor token, or ERASED). Answers false when it was not active.
     */
    public boolean end(RfidToken token, State state, Optional<RfidToken> successor, Instant now) {
        return database.transaction("end the RFID record of " + token, c -> end(c, token, state, successor, now));
    }

    /** Rotation in one transaction: the new record in, the old one ended pointing at it. */
    public boolean rotate(RfidToken old, RfidToken replacement, byte[] wrappedKey, byte[] ciphertext, Instant now) {
        return database.transaction("rotate the RFID token " + old, c -> {
            if (!end(c, old, State.ROTATED, Optional.of(replacement), now)) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rfid_records (token, state, wrapped_key,"
                    + " ciphertext, successor, created_at, changed_at) VALUES (?, 'ACTIVE', ?, ?, NULL, ?, ?)")) {
                insert.setString(1, replacement.hex());
                insert.setString(2, Base64.getEncoder().encodeToString(wrappedKey));
                insert.setString(3, Base64.getEncoder().encodeToString(ciphertext));
                insert.setLong(4, now.toEpochMilli());
                insert.setLong(5, now.toEpochMilli());
                insert.executeUpdate();
            }
            return true;
        });
    }

    public void putReader(DeviceId reader, ReaderLocation location, Optional<String> llrp, Instant now) {
        database.transaction("place RFID reader " + reader, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM rfid_readers WHERE reader = ?")) {
                delete.setString(1, reader.value());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO rfid_readers (reader, x, y, llrp, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, reader.value());
                insert.setDouble(2, location.x());
                insert.setDouble(3, location.y());
                insert.setString(4, llrp.orElse(null));
                insert.setLong(5, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    public boolean deleteReader(DeviceId reader) {
        return database.transaction("forget RFID reader " + reader, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM rfid_readers WHERE reader = ?")) {
                delete.setString(1, reader.value());
                return delete.executeUpdate() > 0;
            }
        });
    }

    public Map<DeviceId, Reader> readers() {
        return database.transaction("list RFID readers", c -> {
            Map<DeviceId, Reader> out = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT reader, x, y, llrp FROM rfid_readers ORDER BY reader");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.put(DeviceId.of(rows.getString(1)), new Reader(new ReaderLocation(rows.getDouble(2),
                            rows.getDouble(3)), Optional.ofNullable(rows.getString(4))));
                }
            }
            return out;
        });
    }

    /** Records a sighting; answers the one before it. */
    public Optional<Sighting> sighted(RfidToken token, DeviceId reader, Instant at) {
        return database.transaction("record a sighting of " + token, c -> {
            Optional<Sighting> before = Optional.empty();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT reader, seen_at FROM rfid_last_seen WHERE token = ?")) {
                select.setString(1, token.hex());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        before = Optional.of(new Sighting(DeviceId.of(rows.getString(1)),
                                Instant.ofEpochMilli(rows.getLong(2))));
                    }
                }
            }
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO rfid_last_seen (token, reader, seen_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (token) DO UPDATE SET reader = EXCLUDED.reader,"
                    + " seen_at = EXCLUDED.seen_at")) {
                upsert.setString(1, token.hex());
                upsert.setString(2, reader.value());
                upsert.setLong(3, at.toEpochMilli());
                upsert.executeUpdate();
            }
            return before;
        });
    }

    /** Sets (sealed) kill and access passwords of an active record; false when it is not active. */
    public boolean putPasswords(RfidToken token, byte[] sealed, Instant now) {
        return database.transaction("store the tag passwords of " + token, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE rfid_records SET passwords = ?, changed_at = ?"
                    + " WHERE token = ? AND state = 'ACTIVE'")) {
                update.setString(1, Base64.getEncoder().encodeToString(sealed));
                update.setLong(2, now.toEpochMilli());
                update.setString(3, token.hex());
                return update.executeUpdate() > 0;
            }
        });
    }

    public Optional<byte[]> passwords(RfidToken token) {
        return database.transaction("read the tag passwords of " + token, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT passwords FROM rfid_records WHERE token = ? AND state = 'ACTIVE'")) {
                select.setString(1, token.hex());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() && rows.getString(1) != null
                            ? Optional.of(Base64.getDecoder().decode(rows.getString(1))) : Optional.<byte[]>empty();
                }
            }
        });
    }

    public record Release(String id, RfidToken token, DeviceId reader, String operation, String actor, String reason,
                          Instant createdAt, Instant expiresAt) {
    }

    public void insertRelease(Release release) {
        database.transaction("release a tag password of " + release.token(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rfid_releases (id, token, reader,"
                    + " operation, actor, reason, created_at, expires_at, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " NULL)")) {
                insert.setString(1, release.id());
                insert.setString(2, release.token().hex());
                insert.setString(3, release.reader().value());
                insert.setString(4, release.operation());
                insert.setString(5, release.actor());
                insert.setString(6, release.reason());
                insert.setLong(7, release.createdAt().toEpochMilli());
                insert.setLong(8, release.expiresAt().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Claims the oldest open release of {@code token} for {@code reader} and {@code operation} (unclaimed, not
     * expired at {@code now}) in one transaction: a release is claimed once.
     */
    public Optional<Release> claimRelease(RfidToken token, DeviceId reader, String operation, Instant now) {
        return database.transaction("claim a tag password release of " + token, c -> {
            Optional<Release> open = Optional.empty();
            try (PreparedStatement select = c.prepareStatement("SELECT id, actor, reason, created_at, expires_at FROM"
                    + " rfid_releases WHERE token = ? AND reader = ? AND operation = ? AND claimed_at IS NULL AND"
                    + " expires_at > ? ORDER BY created_at LIMIT 1")) {
                select.setString(1, token.hex());
                select.setString(2, reader.value());
                select.setString(3, operation);
                select.setLong(4, now.toEpochMilli());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        open = Optional.of(new Release(rows.getString(1), token, reader, operation, rows.getString(2),
                                rows.getString(3), Instant.ofEpochMilli(rows.getLong(4)),
                                Instant.ofEpochMilli(rows.getLong(5))));
                    }
                }
            }
            if (open.isEmpty()) {
                return open;
            }
            try (PreparedStatement claim = c.prepareStatement(
                    "UPDATE rfid_releases SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL")) {
                claim.setLong(1, now.toEpochMilli());
                claim.setString(2, open.get().id());
                return claim.executeUpdate() > 0 ? open : Optional.<Release>empty();
            }
        });
    }

    private static boolean end(Connection c, RfidToken token, State state, Optional<RfidToken> successor, Instant now)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE rfid_records SET state = ?, wrapped_key = NULL,"
                + " ciphertext = NULL, passwords = NULL, successor = ?, changed_at = ? WHERE token = ?"
                + " AND state = 'ACTIVE'")) {
            update.setString(1, state.name());
            update.setString(2, successor.map(RfidToken::hex).orElse(null));
            update.setLong(3, now.toEpochMilli());
            update.setString(4, token.hex());
            return update.executeUpdate() > 0;
        }
    }

    private static StoredRecord record(ResultSet rows) throws SQLException {
        String key = rows.getString(3);
        String ciphertext = rows.getString(4);
        String successor = rows.getString(5);
        return new StoredRecord(RfidToken.parse(rows.getString(1)), State.valueOf(rows.getString(2)),
                Optional.ofNullable(key).map(Base64.getDecoder()::decode),
                Optional.ofNullable(ciphertext).map(Base64.getDecoder()::decode),
                Optional.ofNullable(successor).map(RfidToken::parse), Instant.ofEpochMilli(rows.getLong(6)),
                Instant.ofEpochMilli(rows.getLong(7)));
    }
}
