package io.palisade.core.rollout;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceState;
import java.util.Set;

/**
 * Which devices a roll-out is for: enrolled devices of the given profiles and segments (empty means
 * any) that carry every given tag. Quarantined devices — themselves or through their segment — are left out unless the
 * roll-out targets quarantine explicitly, because an operator reflashing an isolated device is a
 * different decision from updating the fleet. By default only devices seen within {@code seenWithin} are
 * targeted (see {@link #matches}): a device gone for weeks would hold its wave until the deadline.
 *
 * @param seenWithin how recently a device must have been seen; empty targets devices however long unseen
 */
public record TargetSelector(Set<String> profiles, Set<String> segments, Set<String> tags, boolean includeQuarantined,
                             java.util.Optional<java.time.Duration> seenWithin) {

    public static final java.time.Duration DEFAULT_SEEN_WITHIN = java.time.Duration.ofDays(7);
    public static final TargetSelector ALL = new TargetSelector(Set.of(), Set.of(), Set.of(), false,
            java.util.Optional.empty());

    public TargetSelector {
        profiles = Set.copyOf(profiles);
        segments = Set.copyOf(segments);
        tags = Set.copyOf(tags);
        java.util.Objects.requireNonNull(seenWithin, "seenWithin");
        if (seenWithin.isPresent() && (seenWithin.get().isNegative() || seenWithin.get().isZero())) {
            throw new IllegalArgumentException("'seen within' must be a positive duration");
        }
    }

    /** Devices however long unseen (tests, and roll-outs created before targeting by recency existed). */
    public TargetSelector(Set<String> profiles, Set<String> segments, Set<String> tags, boolean includeQuarantined) {
        this(profiles, segments, tags, includeQuarantined, java.util.Optional.empty());
    }

    public TargetSelector(Set<String> profiles, Set<String> segments, boolean includeQuarantined) {
        this(profiles, segments, Set.of(), includeQuarantined);
    }

    /**
     * With recency: {@code lastSeen} is the latest sign of life known (a session seen by the gateway, a
     * certificate issued on enrollment or renewal), empty when none is known.
     */
    public boolean matches(Device device, boolean confined, java.util.Optional<java.time.Instant> lastSeen,
                           java.time.Instant now) {
        return matches(device, confined) && (seenWithin.isEmpty()
                || lastSeen.map(seen -> !seen.isBefore(now.minus(seenWithin.get()))).orElse(false));
    }

    /** {@code confined}: whether the device is quarantined, itself or through its segment. */
    public boolean matches(Device device, boolean confined) {
        return device.state() == DeviceState.ENROLLED
                && (profiles.isEmpty() || profiles.contains(device.profile()))
                && (segments.isEmpty() || segments.contains(device.segment()))
                && device.tags().containsAll(tags)
                && (includeQuarantined || !confined);
    }
}
