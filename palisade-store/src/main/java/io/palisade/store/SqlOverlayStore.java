package io.palisade.store;

import io.palisade.core.device.DeviceId;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;
import io.palisade.core.overlay.OverlayStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@link OverlayStore} on SQL: one row per grant (revocation fills two columns, nothing else changes) and per host. */
public final class SqlOverlayStore implements OverlayStore {

    private static final String GRANTS = "SELECT id, subject, device, port, granted_at, expires_at, reason, granted_by,"
            + " revoked_at, revoked_by FROM overlay_grants";
    private static final String HOSTS = "SELECT device, address, modbus_ports FROM overlay_hosts";
    private final Database database;

    public SqlOverlayStore(Database database) {
        this.database = database;
    }

    @Override
    public List<OverlayGrant> grants() {
        return database.transaction("list overlay grants", c -> {
            try (PreparedStatement select = c.prepareStatement(GRANTS + " ORDER BY granted_at DESC, id")) {
                return readGrants(select);
            }
        });
    }

    @Override
    public List<OverlayGrant> grants(io.palisade.core.overlay.OverlaySubject subject, DeviceId device) {
        return database.transaction("find overlay grants of " + subject, c -> {
            try (PreparedStatement select = c.prepareStatement(GRANTS + " WHERE subject = ? AND device = ?")) {
                select.setString(1, subject.toString());
                select.setString(2, device.value());
                return readGrants(select);
            }
        });
    }

    @Override
    public void add(OverlayGrant grant) {
        database.transaction("save overlay grant " + grant.id(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO overlay_grants (id, subject, device, port,"
                    + " granted_at, expires_at, reason, granted_by, revoked_at, revoked_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, grant.id());
                insert.setString(2, grant.subject().toString());
                insert.setString(3, grant.device().value());
                insert.setInt(4, grant.port());
                insert.setLong(5, grant.granted().toEpochMilli());
                insert.setLong(6, grant.expires().toEpochMilli());
                insert.setString(7, grant.reason());
                insert.setString(8, grant.grantedBy());
                if (grant.revoked().isPresent()) {
                    insert.setLong(9, grant.revoked().get().toEpochMilli());
                } else {
                    insert.setNull(9, Types.BIGINT);
                }
                insert.setString(10, grant.revokedBy().orElse(null));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<OverlayGrant> revoke(String id, Instant at, String actor) {
        return database.transaction("revoke overlay grant " + id, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE overlay_grants SET revoked_at = ?, revoked_by = ?"
                    + " WHERE id = ? AND revoked_at IS NULL")) {
                update.setLong(1, at.toEpochMilli());
                update.setString(2, actor);
                update.setString(3, id);
                if (update.executeUpdate() == 0) {
                    return Optional.<OverlayGrant>empty();
                }
            }
            try (PreparedStatement select = c.prepareStatement(GRANTS + " WHERE id = ?")) {
                select.setString(1, id);
                return readGrants(select).stream().findFirst();
            }
        });
    }

    @Override
    public List<OverlayHost> hosts() {
        return database.transaction("list overlay hosts", c -> {
            try (PreparedStatement select = c.prepareStatement(HOSTS + " ORDER BY device")) {
                return readHosts(select);
            }
        });
    }

    @Override
    public Optional<OverlayHost> host(DeviceId device) {
        return database.transaction("find overlay host " + device, c -> {
            try (PreparedStatement select = c.prepareStatement(HOSTS + " WHERE device = ?")) {
                select.setString(1, device.value());
                return readHosts(select).stream().findFirst();
            }
        });
    }

    @Override
    public void putHost(OverlayHost host, Instant now) {
        database.transaction("save overlay host " + host.device(), c -> {
            deleteHost(c, host.device());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO overlay_hosts (device, address, modbus_ports, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, host.device().value());
                insert.setString(2, host.address());
                insert.setString(3, host.modbusPorts().stream().map(String::valueOf).collect(Collectors.joining(",")));
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean deleteHost(DeviceId device) {
        return database.transaction("delete overlay host " + device, c -> deleteHost(c, device) > 0);
    }

    private static int deleteHost(Connection c, DeviceId device) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM overlay_hosts WHERE device = ?")) {
            delete.setString(1, device.value());
            return delete.executeUpdate();
        }
    }

    private static List<OverlayGrant> readGrants(PreparedStatement select) throws SQLException {
        List<OverlayGrant> grants = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long revoked = rows.getLong(9);
                Optional<Instant> revokedAt = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
                grants.add(new OverlayGrant(rows.getString(1),
                        io.palisade.core.overlay.OverlaySubject.parse(rows.getString(2)),
                        DeviceId.of(rows.getString(3)), rows.getInt(4), Instant.ofEpochMilli(rows.getLong(5)),
                        Instant.ofEpochMilli(rows.getLong(6)), rows.getString(7), rows.getString(8), revokedAt,
                        Optional.ofNullable(rows.getString(10))));
            }
        }
        return grants;
    }

    private static List<OverlayHost> readHosts(PreparedStatement select) throws SQLException {
        List<OverlayHost> hosts = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String ports = rows.getString(3);
                TreeSet<Integer> modbus = ports.isEmpty() ? new TreeSet<>() : Arrays.stream(ports.split(","))
                        .map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
                hosts.add(new OverlayHost(DeviceId.of(rows.getString(1)), rows.getString(2), modbus));
            }
        }
        return hosts;
    }
}
