package io.palisade.radio.zigbee;

import io.palisade.core.event.Severity;

/**
 * What verifying a frame can find wrong. None of these is evidence against the device a frame names: anyone with a
 * radio can send a frame naming any address, and a replayed frame is a genuine frame sent again by someone else. They
 * count against the network and the feed that heard them.
 */
public enum RadioFinding {
    /** The frame does not parse as what its header says. */
    MALFORMED("malformed-frame", Severity.LOW),
    /** A data frame without NWK security (or at a level without a MIC) on a network that has a network key. */
    UNSECURED_FRAME("unsecured-frame", Severity.MEDIUM),
    /** Secured under a key Palisade has, but the MIC does not match: forged, corrupted or under a different key. */
    MIC_FAILURE("mic-failure", Severity.MEDIUM),
    /** A frame counter at or below one already accepted from that sender under that key: a replay. */
    COUNTER_REGRESSION("counter-regression", Severity.HIGH),
    /** Secured under a key Palisade does not have (a key sequence number or index it does not know). */
    UNKNOWN_KEY("unknown-key", Severity.LOW),
    /** Secured with the well-known default trust-center link key: anyone who recorded it can read it. */
    DEFAULT_TC_LINK_KEY("default-tc-link-key", Severity.HIGH),
    /** Verified, but its IEEE address is bound to no Palisade device: nowhere to forward it. */
    UNKNOWN_SENDER("unknown-sender", Severity.LOW);

    private final String wireName;
    private final Severity severity;

    RadioFinding(String wireName, Severity severity) {
        this.wireName = wireName;
        this.severity = severity;
    }

    public String wireName() {
        return wireName;
    }

    public Severity severity() {
        return severity;
    }
}
