package io.palisade.core.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered device.
 *
 * @param quarantined whether the device is restricted to its quarantine channel (R13); independent of {@code state}
 */
public record Device(DeviceId id, String profile, String segment, DeviceState state, boolean quarantined,
                     Instant createdAt, Instant updatedAt) {

    public Device {
        Objects.requireNonNull(id, "id");
        Names.requireValid("profile", profile);
        Names.requireValid("segment", segment);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Device withState(DeviceState newState, Instant now) {
        return new Device(id, profile, segment, newState, quarantined, createdAt, now);
    }

    public Device withQuarantined(boolean newQuarantined, Instant now) {
        return new Device(id, profile, segment, state, newQuarantined, createdAt, now);
    }
}
