package io.palisade.core.rollout;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * One device of a roll-out: its wave (0-based), where it is, the last thing it said, and when.
 */
public record RolloutMember(DeviceId device, int wave, MemberState state, String detail, Instant updatedAt) {

    /** Device reports are short sentences; a longer one is cut so that one device cannot bloat the store. */
    public static final int MAX_DETAIL_LENGTH = 500;

    public RolloutMember {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        detail = detail == null ? "" : detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail;
    }

    RolloutMember with(MemberState newState, String newDetail, Instant now) {
        return new RolloutMember(device, wave, newState, newDetail, now);
    }
}
