package io.palisade.sim.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The labelled attack scenarios. Each instance targets one subject (a device, or for brute force an
 * outside address) from a start time for a duration; {@link EvalRun} schedules what the attacker does.
 */
public enum Attack {
    /** Mirai-style: an outside host tries certificate-less and forged TLS logins, three a second for a minute. */
    BRUTE_FORCE("brute-force", false, 60),
    /** A compromised device enumerates topics and probes wildcards, ten filters a second for five seconds. */
    TOPIC_SCAN("topic-scan", true, 5),
    /** A compromised device beacons to its controller (small encrypted messages on a new topic, commands back) for two hours. */
    C2_BEACON("c2-beacon", true, 7200),
    /** A compromised device uploads encrypted data as fast as it can below its quota, for 30 s. */
    EXFIL_BURST("exfil-burst", true, 30),
    /** A compromised device adds a 2 KB encrypted message to its normal traffic every 30 s, for three hours. */
    EXFIL_DRIP("exfil-drip", true, 10_800),
    /** A compromised device publishes into other devices' command topics, two a second. */
    LATERAL_INJECTION("lateral-injection", true, 10),
    /** Many devices at once publish as fast as they can (400 messages/s each) for a minute. */
    DDOS_FLOOD("ddos-flood", true, 60),
    /** A device's stolen key is used from a new network while the real device keeps connecting, for ten minutes. */
    STOLEN_IDENTITY("stolen-identity", true, 600),
    /** An implant is written over a file the device's integrity baseline covers. */
    FILE_TAMPER("file-tamper", true, 1);

    final String wireName;
    /** Whether the attacked subject is a device (else an outside address). */
    final boolean deviceSubject;
    final long durationSeconds;

    Attack(String wireName, boolean deviceSubject, long durationSeconds) {
        this.wireName = wireName;
        this.deviceSubject = deviceSubject;
        this.durationSeconds = durationSeconds;
    }

    /** Whether the goal of a median time to quarantine of at most 2 s applies (floods, scans, brute force). */
    boolean fastQuarantineExpected() {
        return this == TOPIC_SCAN || this == DDOS_FLOOD || this == LATERAL_INJECTION;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<Attack> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.wireName.equals(wanted)).findFirst();
    }
}
