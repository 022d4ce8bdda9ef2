package io.palisade.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link EventStore} on SQL: events are appended in one committed transaction each, read in id order. */
public final class SqlEventStore implements EventStore {

    /** The columns {@link #event} reads, in its order. */
    private static final String SELECT_EVENTS = "SELECT id, time, type, severity, device, source, message, details FROM events";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {
    };

    private final Database database;

    public SqlEventStore(Database database) {
        this.database = database;
    }

    @Override
    public SecurityEvent append(SecurityEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /**
     * One transaction, so a burst of events costs one commit (one fsync) instead of one each. Appends are
     * serialised within the process so that ids become visible in id order: a reader following the events by
     * id (a SIEM destination's cursor) never sees id N+1 while N is still uncommitted, which PostgreSQL's
     * sequences would otherwise allow between concurrent transactions.
     */
    @Override
    public synchronized List<SecurityEvent> appendAll(List<SecurityEvent> batch) {
        return database.transaction("append " + batch.size() + " events", c -> {
            List<SecurityEvent> stored = new ArrayList<>(batch.size());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (time, type, severity, device,"
                    + " source, message, details) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                for (SecurityEvent event : batch) {
                    insert.setLong(1, event.time().toEpochMilli());
                    insert.setString(2, event.type().wireName());
                    insert.setString(3, event.severity().wireName());
                    insert.setString(4, event.device().map(DeviceId::value).orElse(null));
                    insert.setString(5, event.source());
                    insert.setString(6, event.message());
                    insert.setString(7, toJson(event.details()));
                    try (ResultSet keys = insert.executeQuery()) {
                        keys.next();
                        stored.add(event.withId(keys.getLong(1)));
                    }
                }
            }
            return stored;
        });
    }

    @Override
    public long lastId() {
        return database.transaction("read the newest event id", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT MAX(id) FROM events");
                 ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<SecurityEvent> query(EventQuery query) {
        StringBuilder sql = new StringBuilder(SELECT_EVENTS + " WHERE id > ?");
        query.type().ifPresent(t -> sql.append(" AND type = ?"));
        query.device().ifPresent(d -> sql.append(" AND device = ?"));
        sql.append(" ORDER BY id LIMIT ?");
        return database.transaction("query events", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                int p = 1;
                select.setLong(p++, query.afterId());
                if (query.type().isPresent()) {
                    select.setString(p++, query.type().get().wireName());
                }
                if (query.device().isPresent()) {
                    select.setString(p++, query.device().get().value());
                }
                select.setInt(p, query.limit());
                return readAll(select);
            }
        });
    }

    @Override
    public List<SecurityEvent> newest(EventType type, int limit) {
        return database.transaction("query the newest " + type.wireName() + " events", c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT_EVENTS + " WHERE type = ? ORDER BY id DESC LIMIT ?")) {
                select.setString(1, type.wireName());
                select.setInt(2, limit);
                return readAll(select);
            }
        });
    }

    private static List<SecurityEvent> readAll(PreparedStatement select) throws java.sql.SQLException {
        try (ResultSet rows = select.executeQuery()) {
            List<SecurityEvent> events = new ArrayList<>();
            while (rows.next()) {
                events.add(event(rows));
            }
            return events;
        }
    }

    @Override
    public long prune(Instant olderThan, long keepAtMost) {
        return database.transaction("prune events", c -> {
            long deleted;
            try (PreparedStatement old = c.prepareStatement("DELETE FROM events WHERE time < ?")) {
                old.setLong(1, olderThan.toEpochMilli());
                deleted = old.executeUpdate();
            }
            long excess;
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM events");
                 ResultSet rows = count.executeQuery()) {
                rows.next();
                excess = rows.getLong(1) - keepAtMost;
            }
            for (Severity severity : Severity.values()) { // lowest first
                if (excess <= 0) {
                    break;
                }
                try (PreparedStatement oldest = c.prepareStatement("DELETE FROM events WHERE id IN (SELECT id FROM"
                        + " events WHERE severity = ? ORDER BY id LIMIT ?)")) {
                    oldest.setString(1, severity.wireName());
                    oldest.setLong(2, excess);
                    int gone = oldest.executeUpdate();
                    deleted += gone;
                    excess -= gone;
                }
            }
            return deleted;
        });
    }

    private static SecurityEvent event(ResultSet rows) throws SQLException {
        String device = rows.getString(5);
        return new SecurityEvent(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)),
                EventType.fromWireName(rows.getString(3)), Severity.fromWireName(rows.getString(4)),
                Optional.ofNullable(device).map(DeviceId::of), rows.getString(6), rows.getString(7),
                fromJson(rows.getString(8)));
    }

    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event details", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event details are not JSON: " + e.getMessage(), e);
        }
    }
}
