package io.palisade.core.rollout;

/**
 * Where one device is in a roll-out. Devices report the middle states; INSTALLED, FAILED and UNREACHED are
 * final.
 */
public enum MemberState {
    /** In a wave that has not started. */
    PENDING,
    /** Offered the update; nothing heard yet. */
    NOTIFIED,
    /** Fetching and verifying metadata and image. */
    DOWNLOADING,
    /** Image in the inactive slot, trial boot under way. */
    STAGED,
    /** The new image booted and confirmed itself. */
    INSTALLED,
    /** Refused, failed its self-check or reverted: the device runs its previous image. */
    FAILED,
    /**
     * Not finished when its wave's deadline passed (offline, or stuck downloading or staging; the detail
     * says which); the offer is withdrawn and the wave is judged without it.
     */
    UNREACHED;

    public boolean isFinal() {
        return this == INSTALLED || this == FAILED || this == UNREACHED;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static MemberState fromWireName(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown roll-out state '" + name + "'");
        }
    }
}
