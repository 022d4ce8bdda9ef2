package io.palisade.store;

import io.palisade.core.device.DeviceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Attestation keys of devices ({@code attestation_keys}) and expected PCR values of profiles ({@code attestation_expectations}). */
public final class SqlAttestationStore {

    /** Accepted values of one profile: PCR → the values it may hold (any one of them), and where they came from. */
    public record Expectation(SortedMap<Integer, List<byte[]>> pcrs, String source) {
    }

    private final Database database;

    public SqlAttestationStore(Database database) {
        this.database = database;
    }

    /** Pins {@code spki} for the device unless it has a key already; answers the device's key either way. */
    public byte[] pinKey(DeviceId device, byte[] spki, Instant now) {
        return database.transaction("pin the attestation key of " + device, c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO attestation_keys (device, spki, created_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (device) DO NOTHING")) {
                insert.setString(1, device.value());
                insert.setString(2, Base64.getEncoder().encodeToString(spki));
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return keyOf(c, device).orElseThrow();
        });
    }

    public Optional<byte[]> key(DeviceId device) {
        return database.transaction("read the attestation key of " + device, c -> keyOf(c, device));
    }

    /** Forgets the device's key (re-enrollment with a new TPM); answers whether there was one. */
    public boolean forgetKey(DeviceId device) {
        return database.transaction("forget the attestation key of " + device, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM attestation_keys WHERE device = ?")) {
                delete.setString(1, device.value());
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static Optional<byte[]> keyOf(java.sql.Connection c, DeviceId device) throws java.sql.SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT spki FROM attestation_keys WHERE device = ?")) {
            select.setString(1, device.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Base64.getDecoder().decode(rows.getString(1))) : Optional.empty();
            }
        }
    }

    /** Replaces the profile's expected values. */
    public void expect(String profile, Map<Integer, List<byte[]>> pcrs, String source, Instant now) {
        database.transaction("set the expected PCR values of profile " + profile, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM attestation_expectations WHERE profile = ?")) {
                delete.setString(1, profile);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO attestation_expectations"
                    + " (profile, pcr, value, source, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<Integer, List<byte[]>> pcr : pcrs.entrySet()) {
                    for (String value : pcr.getValue().stream().map(HexFormat.of()::formatHex).distinct().toList()) {
                        insert.setString(1, profile);
                        insert.setInt(2, pcr.getKey());
                        insert.setString(3, value);
                        insert.setString(4, source);
                        insert.setLong(5, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    public Optional<Expectation> expectation(String profile) {
        return database.transaction("read the expected PCR values of profile " + profile, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT pcr, value, source FROM attestation_expectations WHERE profile = ? ORDER BY pcr, value")) {
                select.setString(1, profile);
                try (ResultSet rows = select.executeQuery()) {
                    SortedMap<Integer, List<byte[]>> pcrs = new TreeMap<>();
                    String source = "";
                    while (rows.next()) {
                        pcrs.computeIfAbsent(rows.getInt(1), pcr -> new java.util.ArrayList<>())
                                .add(HexFormat.of().parseHex(rows.getString(2)));
                        source = rows.getString(3);
                    }
                    return pcrs.isEmpty() ? Optional.<Expectation>empty() : Optional.of(new Expectation(pcrs, source));
                }
            }
        });
    }

    public boolean clear(String profile) {
        return database.transaction("clear the expected PCR values of profile " + profile, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM attestation_expectations WHERE profile = ?")) {
                delete.setString(1, profile);
                return delete.executeUpdate() > 0;
            }
        });
    }
}
