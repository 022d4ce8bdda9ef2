package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.List;

/**
 * The built-in signatures. Thresholds count events in about the last minute (damped counters), so a
 * short legitimate burst decays away while a sustained attack crosses them within seconds.
 */
final class Rules {

    private Rules() {
    }

    static List<Rule> builtIn() {
        return List.of(
                new ThresholdRule("auth-brute-force", b -> b.authFailures, 10, Severity.HIGH,
                        "repeated authentication failures (credential or certificate guessing)"),
                new ThresholdRule("topic-probing", b -> b.aclDenied, 20, Severity.HIGH,
                        "many refused publishes or subscriptions (topic enumeration or wildcard probing)"),
                new ThresholdRule("cross-device-command", b -> b.crossDeviceDenied, 3, Severity.HIGH,
                        "attempts to use other devices' topics (lateral command injection)"),
                new ThresholdRule("quota-flood", b -> b.throttledSeconds, 1, Severity.HIGH,
                        "throttled for publishing faster than its quota for a second or more (flood)", "s throttled in"
                        + " about 10 s"),
                new ThresholdRule("quota-abuse", b -> b.quotaHits, 5, Severity.HIGH,
                        "repeatedly refused or disconnected for exceeding its limits (flood, subscription or"
                        + " in-flight abuse)"),
                new ThresholdRule("protocol-abuse", b -> b.violations, 5, Severity.HIGH,
                        "repeated MQTT protocol violations (fuzzing or exploit attempts)"),
                new ThresholdRule("connection-churn", b -> b.connects, 30, Severity.MEDIUM,
                        "connecting again and again (churn, or an identity used from several places)"),
                new ThresholdRule("file-tamper", b -> b.fileChanges, 1, Severity.HIGH,
                        "files its integrity baseline covers were changed (tampering, implants)"),
                new FloodRule(50, 20));
    }
}
