package io.palisade.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.rollout.MemberState;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutJson;
import io.palisade.core.rollout.RolloutMember;
import io.palisade.core.rollout.RolloutState;
import io.palisade.core.rollout.RolloutStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link RolloutStore} on SQL: one row per roll-out (spec as JSON), one per member device. */
public final class SqlRolloutStore implements RolloutStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLLOUT_COLUMNS = "id, spec, state, wave, reason, created_at, updated_at, wave_started_at";

    private final Database database;

    public SqlRolloutStore(Database database) {
        this.database = database;
    }

    @Override
    public void create(Rollout rollout) {
        database.transaction("create roll-out " + rollout.id(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rollouts (id, spec, state, wave, reason,"
                    + " created_at, updated_at, wave_started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, rollout.id());
                insert.setString(2, RolloutJson.spec(rollout.spec()).toString());
                insert.setString(3, rollout.state().wireName());
                insert.setInt(4, rollout.wave());
                insert.setString(5, rollout.reason());
                insert.setLong(6, rollout.createdAt().toEpochMilli());
                insert.setLong(7, rollout.updatedAt().toEpochMilli());
                insert.setLong(8, rollout.waveStartedAt().toEpochMilli());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rollout_members (rollout_id, position,"
                    + " device_id, wave, state, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (RolloutMember member : rollout.members()) {
                    insert.setString(1, rollout.id());
                    insert.setInt(2, position++);
                    insert.setString(3, member.device().value());
                    insert.setInt(4, member.wave());
                    insert.setString(5, member.state().wireName());
                    insert.setString(6, member.detail());
                    insert.setLong(7, member.updatedAt().toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void update(Rollout rollout, Collection<DeviceId> changedMembers) {
        database.transaction("update roll-out " + rollout.id(), c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE rollouts SET state = ?, wave = ?, reason = ?, updated_at = ?, wave_started_at = ? WHERE id = ?")) {
                update.setString(1, rollout.state().wireName());
                update.setInt(2, rollout.wave());
                update.setString(3, rollout.reason());
                update.setLong(4, rollout.updatedAt().toEpochMilli());
                update.setLong(5, rollout.waveStartedAt().toEpochMilli());
                update.setString(6, rollout.id());
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("roll-out " + rollout.id() + " is not stored");
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE rollout_members SET state = ?, detail = ?,"
                    + " updated_at = ? WHERE rollout_id = ? AND device_id = ?")) {
                for (DeviceId device : changedMembers) {
                    RolloutMember member = rollout.member(device).orElseThrow(() ->
                            new IllegalArgumentException(device + " is not part of roll-out " + rollout.id()));
                    update.setString(1, member.state().wireName());
                    update.setString(2, member.detail());
                    update.setLong(3, member.updatedAt().toEpochMilli());
                    update.setString(4, rollout.id());
                    update.setString(5, device.value());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Optional<Rollout> find(String id) {
        return database.transaction("load roll-out " + id, c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + ROLLOUT_COLUMNS + " FROM rollouts WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(c, rows)) : Optional.<Rollout>empty();
                }
            }
        });
    }

    @Override
    public List<Rollout> list() {
        return database.transaction("load roll-outs", c -> {
            List<Rollout> rollouts = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement("SELECT " + ROLLOUT_COLUMNS
                    + " FROM rollouts ORDER BY created_at DESC, id");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    rollouts.add(read(c, rows));
                }
            }
            return rollouts;
        });
    }

    /** Null for roll-outs stored before V6 added the column. */
    private static Instant waveStartedAt(ResultSet row) throws SQLException {
        long millis = row.getLong(8);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Rollout read(Connection c, ResultSet row) throws SQLException {
        String id = row.getString(1);
        List<RolloutMember> members = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT device_id, wave, state, detail, updated_at"
                + " FROM rollout_members WHERE rollout_id = ? ORDER BY position")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    members.add(new RolloutMember(DeviceId.of(rows.getString(1)), rows.getInt(2),
                            MemberState.fromWireName(rows.getString(3)), rows.getString(4),
                            Instant.ofEpochMilli(rows.getLong(5))));
                }
            }
        }
        try {
            return new Rollout(id, RolloutJson.spec(JSON.readTree(row.getString(2))), Instant.ofEpochMilli(row.getLong(6)),
                    RolloutState.fromWireName(row.getString(3)), row.getInt(4), row.getString(5),
                    Instant.ofEpochMilli(row.getLong(7)), waveStartedAt(row), members);
        } catch (IOException e) {
            throw new IllegalStateException("stored spec of roll-out " + id + " is not JSON", e);
        }
    }
}
