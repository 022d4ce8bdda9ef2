package io.palisade.core.rollout;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceState;
import java.util.Set;

/**
 * Which devices a roll-out is for: enrolled devices of the given profiles and segments (empty means
 * any) that carry every given tag. Quarantined devices — themselves or through their segment — are left out unless the
 * roll-out targets quarantine explicitly, because an operator reflashing an isolated device is a
 * different decision from updating the fleet.
 */
public record TargetSelector(Set<String> profiles, Set<String> segments, Set<String> tags, boolean includeQuarantined) {

    public static final TargetSelector ALL = new TargetSelector(Set.of(), Set.of(), Set.of(), false);

    public TargetSelector {
        profiles = Set.copyOf(profiles);
        segments = Set.copyOf(segments);
        tags = Set.copyOf(tags);
    }

    public TargetSelector(Set<String> profiles, Set<String> segments, boolean includeQuarantined) {
        this(profiles, segments, Set.of(), includeQuarantined);
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
