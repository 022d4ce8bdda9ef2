package io.palisade.store;

import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.siem.SiemDestination;
import io.palisade.core.siem.SiemStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link SiemStore} on SQL: one row per destination, its cursor in the same row. */
public final class SqlSiemStore implements SiemStore {

    private static final String SELECT = "SELECT name, url, format, min_severity, types, ca_pem, cert_pem, created_at"
            + " FROM siem_destinations";
    private final Database database;

    public SqlSiemStore(Database database) {
        this.database = database;
    }

    @Override
    public List<SiemDestination> list() {
        return database.transaction("list SIEM destinations", c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT + " ORDER BY name")) {
                return read(select);
            }
        });
    }

    @Override
    public Optional<SiemDestination> find(String name) {
        return database.transaction("find SIEM destination " + name, c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT + " WHERE name = ?")) {
                select.setString(1, name);
                return read(select).stream().findFirst();
            }
        });
    }

    @Override
    public boolean add(SiemDestination destination, long startAfterId) {
        return database.transaction("add SIEM destination " + destination.name(), c -> {
            if (exists(c, destination.name())) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO siem_destinations (name, url, format,"
                    + " min_severity, types, ca_pem, cert_pem, created_at, delivered_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, destination.name());
                insert.setString(2, destination.url());
                insert.setString(3, destination.format());
                insert.setString(4, destination.minSeverity().wireName());
                insert.setString(5, destination.types().stream().map(EventType::wireName).sorted()
                        .collect(Collectors.joining(",")));
                insert.setString(6, destination.caPem().orElse(null));
                insert.setString(7, destination.certPem().orElse(null));
                insert.setLong(8, destination.created().toEpochMilli());
                insert.setLong(9, startAfterId);
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean remove(String name) {
        return database.transaction("remove SIEM destination " + name, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM siem_destinations WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public long cursor(String name) {
        return database.transaction("read the cursor of SIEM destination " + name, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT delivered_id FROM siem_destinations WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void advance(String name, long deliveredId) {
        database.transaction("advance the cursor of SIEM destination " + name, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE siem_destinations SET delivered_id = ? WHERE name = ? AND delivered_id < ?")) {
                update.setLong(1, deliveredId);
                update.setString(2, name);
                update.setLong(3, deliveredId);
                update.executeUpdate();
            }
            return null;
        });
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM siem_destinations WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static List<SiemDestination> read(PreparedStatement select) throws SQLException {
        List<SiemDestination> destinations = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String types = rows.getString(5);
                Set<EventType> typeSet = types.isEmpty() ? Set.of() : Arrays.stream(types.split(","))
                        .map(EventType::fromWireName).collect(Collectors.toSet());
                destinations.add(new SiemDestination(rows.getString(1), rows.getString(2), rows.getString(3),
                        Severity.fromWireName(rows.getString(4)), typeSet, Optional.ofNullable(rows.getString(6)),
                        Optional.ofNullable(rows.getString(7)), Instant.ofEpochMilli(rows.getLong(8))));
            }
        }
        return destinations;
    }
}
