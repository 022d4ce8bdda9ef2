package io.palisade.core.operator;

/** What a request needs: reading, the audit trail and checks, day-to-day incident handling, or administration. */
public enum Permission {
    /** See the fleet, events, policies, roll-outs, detection, SIEM destinations, metrics. */
    READ,
    /** Verify the audit chain, run audit checks, read their findings. */
    AUDIT,
    /** Handle incidents: quarantine and release, wipe and reflash quarantined devices, steer roll-outs, give feedback to detection. */
    OPERATE,
    /** Change what Palisade is: devices, certificates, policies, rules, SIEM destinations, operators, tokens. */
    ADMINISTER
}
