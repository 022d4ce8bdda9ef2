package io.palisade.sim.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one run produced: the staged attacks (the labels), every alert and quarantine with its virtual
 * time, and each device's peak scores; and the measures derived from them for one run.
 */
final class RunResult {

    /** An alert raised during the run. {@code response} is the response policy's action. */
    record Raised(String subject, String rule, String response, long atNanos) {

        boolean fromModel() {
            return "model".equals(rule);
        }

        boolean isAlert() {
            return !"record".equals(response);
        }
    }

    /** How one staged attack fared: when it was first detected (by all detection and by rules alone) and quarantined. */
    record Outcome(AttackInstance instance, Optional<Long> detectNanos, Optional<Long> staticDetectNanos,
                   Optional<Long> quarantineNanos) {
    }

    /** Alerts that count for an attack may come up to this long after it ends (slow-building evidence). */
    static final long GRACE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final long learningEnd;
    private final long end;
    final List<AttackInstance> staged = new ArrayList<>();
    final List<Raised> alerts = new ArrayList<>();
    final Map<String, Long> quarantines = new HashMap<>();
    final Map<String, double[]> peaks = new HashMap<>();
    int fleetSize;
    long processed;

    RunResult(long learningEnd, long end) {
        this.learningEnd = learningEnd;
        this.end = end;
    }

    void staged(AttackInstance instance) {
        staged.add(instance);
    }

    void alert(String subject, String rule, String response, long at) {
        alerts.add(new Raised(subject, rule, response, at));
    }

    void quarantined(String device, long at) {
        quarantines.putIfAbsent(device, at);
    }

    void peak(String device, double rules, double model) {
        peaks.put(device, new double[] {rules, model});
    }

    void finish(int fleetSize, long processed) {
        this.fleetSize = fleetSize;
        this.processed = processed;
    }

    /** When the subject's first attack starts (it is normal before), or empty when it is never attacked. */
    Optional<Long> attackedFrom(String subject) {
        return staged.stream().filter(i -> i.subject().equals(subject)).map(AttackInstance::startNanos)
                .min(Long::compare);
    }

    List<Outcome> outcomes() {
        List<Outcome> outcomes = new ArrayList<>();
        for (AttackInstance instance : staged) {
            Optional<Long> detect = firstAlert(instance, false);
            Optional<Long> staticDetect = firstAlert(instance, true);
            Long quarantine = quarantines.get(instance.subject());
            Optional<Long> quarantineDelay = quarantine != null && quarantine >= instance.startNanos()
                    ? Optional.of(quarantine - instance.startNanos()) : Optional.empty();
            outcomes.add(new Outcome(instance, detect, staticDetect, quarantineDelay));
        }
        return outcomes;
    }

    private Optional<Long> firstAlert(AttackInstance instance, boolean rulesOnly) {
        return alerts.stream()
                .filter(a -> a.isAlert() && a.subject().equals(instance.subject()))
                .filter(a -> !rulesOnly || !a.fromModel())
                .filter(a -> a.atNanos() >= instance.startNanos() && a.atNanos() <= instance.endNanos() + GRACE_NANOS)
                .map(a -> a.atNanos() - instance.startNanos())
                .min(Long::compare);
    }

    /** Device-hours of normal behaviour after learning: every device until its first attack (if any). */
    double normalDeviceHours() {
        double nanos = 0;
        for (String device : peaks.keySet()) {
            long until = attackedFrom(device).orElse(end);
            nanos += Math.max(0, until - learningEnd);
        }
        // Devices never seen by the detector (none in practice) count as normal too.
        nanos += Math.max(0, fleetSize - peaks.size()) * (double) (end - learningEnd);
        return nanos / TimeUnit.HOURS.toNanos(1);
    }

    /** Alerts on subjects while they behaved normally, after learning. */
    long falseAlarms(boolean rulesOnly) {
        return alerts.stream().filter(Raised::isAlert).filter(a -> !rulesOnly || !a.fromModel())
                .filter(a -> a.atNanos() >= learningEnd)
                .filter(a -> a.atNanos() < attackedFrom(a.subject()).orElse(Long.MAX_VALUE))
                .count();
    }

    /** Quarantines of devices that were behaving normally, after learning. */
    long falseQuarantines() {
        return quarantines.entrySet().stream()
                .filter(q -> q.getValue() >= learningEnd)
                .filter(q -> q.getValue() < attackedFrom(q.getKey()).orElse(Long.MAX_VALUE))
                .count();
    }

    /** False alarms by rule, to show where they come from. */
    Map<String, Long> falseAlarmsByRule() {
        Map<String, Long> byRule = new java.util.TreeMap<>();
        alerts.stream().filter(Raised::isAlert).filter(a -> a.atNanos() >= learningEnd)
                .filter(a -> a.atNanos() < attackedFrom(a.subject()).orElse(Long.MAX_VALUE))
                .forEach(a -> byRule.merge(a.rule(), 1L, Long::sum));
        return byRule;
    }
}
