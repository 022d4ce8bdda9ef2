package io.palisade.core.device;

/** Lifecycle of a device's identity. Quarantine is separate: it restricts a device without ending its identity. */
public enum DeviceState {
    /** Registered; an enrollment token may be outstanding; no certificate yet. */
    REGISTERED,
    /** Holds at least one certificate issued by Palisade. */
    ENROLLED,
    /** Identity withdrawn: every certificate revoked, no enrollment or re-enrollment possible. */
    REVOKED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
