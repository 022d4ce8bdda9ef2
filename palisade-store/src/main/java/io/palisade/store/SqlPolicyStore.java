package io.palisade.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.PolicyStore;
import io.palisade.core.policy.TopicPolicy;
import io.palisade.core.policy.TopicPolicyJson;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@link PolicyStore} on SQL; policies are stored as their API JSON. */
public final class SqlPolicyStore implements PolicyStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;

    public SqlPolicyStore(Database database) {
        this.database = database;
    }

    @Override
    public Map<PolicyScope, TopicPolicy> policies() {
        return database.transaction("load policies", c -> {
            Map<PolicyScope, TopicPolicy> policies = new HashMap<>();
            try (PreparedStatement query = c.prepareStatement("SELECT scope_kind, scope_name, body FROM policies");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    try {
                        policies.put(PolicyScope.of(rows.getString(1), rows.getString(2)),
                                TopicPolicyJson.fromJson(JSON.readTree(rows.getString(3))));
                    } catch (IOException e) {
                        throw new IllegalStateException("stored policy for " + rows.getString(1) + " "
                                + rows.getString(2) + " is not JSON", e);
                    }
                }
            }
            return policies;
        });
    }

    @Override
    public void save(PolicyScope scope, TopicPolicy policy, Instant now) {
        database.transaction("save policy for " + scope, c -> {
            delete(c, scope);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO policies (scope_kind, scope_name, body, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, scope.kind().wireName());
                insert.setString(2, scope.name());
                insert.setString(3, TopicPolicyJson.toJson(policy).toString());
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(PolicyScope scope) {
        return database.transaction("delete policy for " + scope, c -> delete(c, scope) > 0);
    }

    private static int delete(java.sql.Connection c, PolicyScope scope) throws java.sql.SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM policies WHERE scope_kind = ? AND scope_name = ?")) {
            delete.setString(1, scope.kind().wireName());
            delete.setString(2, scope.name());
            return delete.executeUpdate();
        }
    }

    @Override
    public Set<String> quarantinedSegments() {
        return database.transaction("load quarantined segments", c -> {
            Set<String> segments = new HashSet<>();
            try (PreparedStatement query = c.prepareStatement("SELECT name FROM segments WHERE quarantined = 1");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    segments.add(rows.getString(1));
                }
            }
            return segments;
        });
    }

    @Override
    public void setSegmentQuarantined(String segment, boolean quarantined, Instant now) {
        database.transaction("set quarantine of segment " + segment, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM segments WHERE name = ?")) {
                delete.setString(1, segment);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO segments (name, quarantined, updated_at) VALUES (?, ?, ?)")) {
                insert.setString(1, segment);
                insert.setInt(2, quarantined ? 1 : 0);
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }
}
