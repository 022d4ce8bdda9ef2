package io.palisade.store;

import io.palisade.core.detection.DetectionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link DetectionStore} on SQL. */
public final class SqlDetectionStore implements DetectionStore {

    private final Database database;

    public SqlDetectionStore(Database database) {
        this.database = database;
    }

    @Override
    public Map<String, String> rules() {
        return database.transaction("load detection rules", c -> {
            Map<String, String> rules = new TreeMap<>();
            try (PreparedStatement query = c.prepareStatement("SELECT name, definition FROM detection_rules");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    rules.put(rows.getString(1), rows.getString(2));
                }
            }
            return rules;
        });
    }

    @Override
    public void saveRule(String name, String definitionJson, Instant now) {
        database.transaction("save detection rule " + name, c -> {
            deleteRule(c, name);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO detection_rules (name, definition, updated_at) VALUES (?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, definitionJson);
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean deleteRule(String name) {
        return database.transaction("delete detection rule " + name, c -> deleteRule(c, name) > 0);
    }

    private static int deleteRule(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM detection_rules WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate();
        }
    }

    @Override
    public List<Adjustment> adjustments() {
        return database.transaction("load detection adjustments", c -> {
            List<Adjustment> adjustments = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT subject, rule, factor, silent_until FROM detection_adjustments ORDER BY updated_at");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long silent = rows.getLong(4);
                    Optional<Instant> until = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(silent));
                    adjustments.add(new Adjustment(rows.getString(1), rows.getString(2), rows.getDouble(3), until));
                }
            }
            return adjustments;
        });
    }

    @Override
    public void saveAdjustment(Adjustment adjustment, Instant now) {
        database.transaction("save detection adjustment for " + adjustment.subject(), c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM detection_adjustments WHERE subject = ? AND rule = ?")) {
                delete.setString(1, adjustment.subject());
                delete.setString(2, adjustment.rule());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO detection_adjustments (subject, rule,"
                    + " factor, silent_until, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, adjustment.subject());
                insert.setString(2, adjustment.rule());
                insert.setDouble(3, adjustment.factor());
                if (adjustment.silentUntil().isPresent()) {
                    insert.setLong(4, adjustment.silentUntil().get().toEpochMilli());
                } else {
                    insert.setNull(4, Types.BIGINT);
                }
                insert.setLong(5, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Proposal> proposals() {
        return database.transaction("load detection proposals", c -> {
            List<Proposal> proposals = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement("SELECT id, created_at, device, rule, reason, alert_id"
                    + " FROM detection_pending ORDER BY created_at");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    proposals.add(new Proposal(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6)));
                }
            }
            return proposals;
        });
    }

    @Override
    public void saveProposal(Proposal proposal) {
        database.transaction("save detection proposal " + proposal.id(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO detection_pending (id, created_at, device,"
                    + " rule, reason, alert_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, proposal.id());
                insert.setLong(2, proposal.created().toEpochMilli());
                insert.setString(3, proposal.device());
                insert.setString(4, proposal.rule());
                insert.setString(5, proposal.reason());
                insert.setString(6, proposal.alertId());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteProposal(String id) {
        database.transaction("delete detection proposal " + id, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM detection_pending WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            return null;
        });
    }
}
