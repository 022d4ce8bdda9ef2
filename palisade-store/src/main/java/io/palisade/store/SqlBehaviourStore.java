package io.palisade.store;

import io.palisade.core.detection.BehaviourStore;
import io.palisade.core.device.DeviceId;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code device_behaviour}: one conditional upsert per save, so that of two instances saving the same device the
 * one that saw it last wins on SQLite and PostgreSQL alike, without a read-then-write race.
 */
public final class SqlBehaviourStore implements BehaviourStore {

    private final Database database;

    public SqlBehaviourStore(Database database) {
        this.database = database;
    }

    @Override
    public void save(DeviceId device, Saved saved) {
        database.transaction("save the learned behaviour of " + device, c -> {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO device_behaviour (device, state, last_seen, instance) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (device) DO UPDATE SET state = excluded.state,"
                            + " last_seen = excluded.last_seen, instance = excluded.instance"
                            + " WHERE device_behaviour.last_seen <= excluded.last_seen")) {
                upsert.setString(1, device.value());
                upsert.setString(2, new String(saved.state(), StandardCharsets.UTF_8));
                upsert.setLong(3, saved.lastSeen().toEpochMilli());
                upsert.setString(4, saved.instance());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Saved> load(DeviceId device) {
        return database.transaction("load the learned behaviour of " + device, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT state, last_seen, instance FROM device_behaviour WHERE device = ?")) {
                query.setString(1, device.value());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new Saved(row.getString(1).getBytes(StandardCharsets.UTF_8),
                            Instant.ofEpochMilli(row.getLong(2)), row.getString(3))) : Optional.<Saved>empty();
                }
            }
        });
    }

    @Override
    public void delete(DeviceId device) {
        database.transaction("forget the learned behaviour of " + device, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_behaviour WHERE device = ?")) {
                delete.setString(1, device.value());
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void saveCohorts(String instance, byte[] state, Instant savedAt) {
        database.transaction("save the cohort models of " + instance, c -> {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO cohort_models (instance, state, saved_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT (instance) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at")) {
                upsert.setString(1, instance);
                upsert.setString(2, new String(state, StandardCharsets.UTF_8));
                upsert.setLong(3, savedAt.toEpochMilli());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Saved> newestCohortsOtherThan(String instance) {
        return database.transaction("load other instances' cohort models", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT state, saved_at, instance FROM cohort_models"
                    + " WHERE instance <> ? ORDER BY saved_at DESC LIMIT 1")) {
                query.setString(1, instance);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new Saved(row.getString(1).getBytes(StandardCharsets.UTF_8),
                            Instant.ofEpochMilli(row.getLong(2)), row.getString(3))) : Optional.<Saved>empty();
                }
            }
        });
    }
}
