package io.palisade.core.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered device.
 *
 * @param quarantined whether the device is restricted to its quarantine channel (R13); independent of {@code state}
 * @param tags        free labels an operator groups devices by (e.g. {@code canary}, {@code building-3}), for
 *                    roll-out targeting; each a valid name
 * @param role        the role its certificates carry (X.509 extension {@value #ROLE_OID}, as Modbus/TCP Security
 *                    defines it), which role-based rules (the Modbus firewall's) decide on; empty for none
 */
public record Device(DeviceId id, String profile, String segment, DeviceState state, boolean quarantined,
                     Instant createdAt, Instant updatedAt, java.util.Set<String> tags, java.util.Optional<String> role) {

    /** The Modbus Organization's role extension (MB-TCP-Security): a UTF8String naming the holder's role. */
    public static final String ROLE_OID = "1.3.6.1.4.1.50316.802.1";

    /** At most this many tags per device: they are labels, not a database. */
    public static final int MAX_TAGS = 32;

    public Device(DeviceId id, String profile, String segment, DeviceState state, boolean quarantined,
                  Instant createdAt, Instant updatedAt) {
        this(id, profile, segment, state, quarantined, createdAt, updatedAt, java.util.Set.of());
    }

    public Device(DeviceId id, String profile, String segment, DeviceState state, boolean quarantined,
                  Instant createdAt, Instant updatedAt, java.util.Set<String> tags) {
        this(id, profile, segment, state, quarantined, createdAt, updatedAt, tags, java.util.Optional.empty());
    }

    public Device {
        Objects.requireNonNull(id, "id");
        Names.requireValid("profile", profile);
        Names.requireValid("segment", segment);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        tags = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(tags));
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("a device has at most " + MAX_TAGS + " tags, not " + tags.size());
        }
        tags.forEach(tag -> Names.requireValid("tag", tag));
        Objects.requireNonNull(role, "role");
        role.ifPresent(r -> Names.requireValid("role", r));
    }

    public Device withState(DeviceState newState, Instant now) {
        return new Device(id, profile, segment, newState, quarantined, createdAt, now, tags, role);
    }

    public Device withQuarantined(boolean newQuarantined, Instant now) {
        return new Device(id, profile, segment, state, newQuarantined, createdAt, now, tags, role);
    }

    public Device withTags(java.util.Set<String> newTags, Instant now) {
        return new Device(id, profile, segment, state, quarantined, createdAt, now, newTags, role);
    }
}
