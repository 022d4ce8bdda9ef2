package io.palisade.sim.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code palisade detect eval}: runs {@link EvalConfig#runs()} seeded runs and reports, per scenario,
 * the detection rate, time to detect and to quarantine (median and 95th percentile) and ROC AUC, for
 * all of detection (rules and the learned model) and for the static baseline (the same runs' rule
 * findings alone); and for the fleet, false alarms per 1,000 device-hours and false quarantines per
 * 1,000 device-days of normal behaviour, against the goals of the detection issue.
 */
public final class Evaluation {

    /** Per-scenario figures, for the report and for tests. */
    public record ScenarioReport(Attack attack, int instances, int detected, int staticDetected,
                                 Optional<Double> medianDetectSeconds, Optional<Double> p95DetectSeconds,
                                 Optional<Double> medianStaticDetectSeconds, Optional<Double> medianQuarantineSeconds,
                                 Optional<Double> p95QuarantineSeconds, int quarantined, Optional<Double> auc,
                                 Optional<Double> staticAuc) {

        public double detectionRate() {
            return instances == 0 ? 0 : (double) detected / instances;
        }

        public double staticDetectionRate() {
            return instances == 0 ? 0 : (double) staticDetected / instances;
        }
    }

    /** One staged attack and how it fared (seconds from its start). */
    public record InstanceReport(Attack attack, String subject, Optional<Double> detectSeconds,
                                 Optional<Double> staticDetectSeconds, Optional<Double> quarantineSeconds) {
    }

    /** The whole evaluation's figures. */
    public record Report(List<ScenarioReport> scenarios, List<InstanceReport> instances, double normalDeviceHours, long falseAlarms,
                         long staticFalseAlarms, long falseQuarantines, Map<String, Long> falseAlarmsByRule,
                         long observations, double wallSeconds) {

        public double falseAlarmsPer1000DeviceHours() {
            return normalDeviceHours == 0 ? 0 : falseAlarms * 1000 / normalDeviceHours;
        }

        public double staticFalseAlarmsPer1000DeviceHours() {
            return normalDeviceHours == 0 ? 0 : staticFalseAlarms * 1000 / normalDeviceHours;
        }

        public double falseQuarantinesPer1000DeviceDays() {
            return normalDeviceHours == 0 ? 0 : falseQuarantines * 1000 / (normalDeviceHours / 24);
        }
    }

    private Evaluation() {
    }

    public static Report run(EvalConfig config, PrintStream progress) {
        long started = System.nanoTime();
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < config.runs(); i++) {
            RunResult result = new EvalRun(config, config.seed() + i).run();
            runs.add(result);
            progress.printf(Locale.ROOT, "run %d/%d: %,d simulated events, %d attacks staged%n", i + 1, config.runs(),
                    result.processed, result.staged.size());
        }
        List<ScenarioReport> scenarios = new ArrayList<>();
        for (Attack attack : config.scenarios()) {
            scenarios.add(scenario(attack, runs));
        }
        double hours = runs.stream().mapToDouble(RunResult::normalDeviceHours).sum();
        Map<String, Long> byRule = new TreeMap<>();
        runs.forEach(r -> r.falseAlarmsByRule().forEach((rule, n) -> byRule.merge(rule, n, Long::sum)));
        List<InstanceReport> instances = new ArrayList<>();
        for (RunResult run : runs) {
            for (RunResult.Outcome o : run.outcomes()) {
                instances.add(new InstanceReport(o.instance().attack(), o.instance().subject(),
                        o.detectNanos().map(Evaluation::seconds), o.staticDetectNanos().map(Evaluation::seconds),
                        o.quarantineNanos().map(Evaluation::seconds)));
            }
        }
        return new Report(scenarios, instances, hours, runs.stream().mapToLong(r -> r.falseAlarms(false)).sum(),
                runs.stream().mapToLong(r -> r.falseAlarms(true)).sum(),
                runs.stream().mapToLong(RunResult::falseQuarantines).sum(), byRule,
                runs.stream().mapToLong(r -> r.processed).sum(), (System.nanoTime() - started) / 1e9);
    }

    private static ScenarioReport scenario(Attack attack, List<RunResult> runs) {
        List<Double> detect = new ArrayList<>();
        List<Double> staticDetect = new ArrayList<>();
        List<Double> quarantine = new ArrayList<>();
        List<Double> positives = new ArrayList<>();
        List<Double> staticPositives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        List<Double> staticNegatives = new ArrayList<>();
        int instances = 0;
        for (RunResult run : runs) {
            for (RunResult.Outcome outcome : run.outcomes()) {
                if (outcome.instance().attack() != attack) {
                    continue;
                }
                instances++;
                outcome.detectNanos().ifPresent(n -> detect.add(seconds(n)));
                outcome.staticDetectNanos().ifPresent(n -> staticDetect.add(seconds(n)));
                outcome.quarantineNanos().ifPresent(n -> quarantine.add(seconds(n)));
                double[] peak = run.peaks.get(outcome.instance().subject());
                if (peak != null) {
                    positives.add(Math.max(peak[0], peak[1]));
                    staticPositives.add(peak[0]);
                }
            }
            if (attack.deviceSubject) {
                run.peaks.forEach((device, peak) -> {
                    if (run.attackedFrom(device).isEmpty()) {
                        negatives.add(Math.max(peak[0], peak[1]));
                        staticNegatives.add(peak[0]);
                    }
                });
            }
        }
        return new ScenarioReport(attack, instances, detect.size(), staticDetect.size(), percentile(detect, 50),
                percentile(detect, 95), percentile(staticDetect, 50), percentile(quarantine, 50),
                percentile(quarantine, 95), quarantine.size(), RocAuc.of(positives, negatives),
                RocAuc.of(staticPositives, staticNegatives));
    }

    static double seconds(long nanos) {
        return nanos / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** The nearest-rank percentile of {@code values}, empty when there are none. */
    public static Optional<Double> percentile(List<Double> values, double percentile) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
        return Optional.of(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
    }

    /** The report as a table, with the goals checked. */
    public static void print(EvalConfig config, Report report, PrintStream out) {
        out.printf(Locale.ROOT, "Detection evaluation: %d runs x %d devices x %d h simulated (learning %d h), %d"
                        + " instances per scenario per run; %,d events in %.1f s%n%n", config.runs(), config.devices(),
                config.hours(), config.learning().toHours(), config.instances(), report.observations(),
                report.wallSeconds());
        out.printf(Locale.ROOT, "%-18s %9s %9s %17s %17s %17s %6s %6s%n", "scenario", "detected", "static",
                "detect med/p95 s", "static med s", "quarant. med/p95", "AUC", "static");
        for (ScenarioReport s : report.scenarios()) {
            out.printf(Locale.ROOT, "%-18s %8.0f%% %8.0f%% %17s %17s %17s %6s %6s%n", s.attack().wireName(),
                    100 * s.detectionRate(), 100 * s.staticDetectionRate(),
                    pair(s.medianDetectSeconds(), s.p95DetectSeconds()), one(s.medianStaticDetectSeconds()),
                    s.quarantined() == 0 ? "-" : pair(s.medianQuarantineSeconds(), s.p95QuarantineSeconds()),
                    s.auc().map(a -> String.format(Locale.ROOT, "%.3f", a)).orElse("n/a"),
                    s.staticAuc().map(a -> String.format(Locale.ROOT, "%.3f", a)).orElse("n/a"));
        }
        out.println();
        out.printf(Locale.ROOT, "normal behaviour after learning: %,.0f device-hours%n", report.normalDeviceHours());
        out.printf(Locale.ROOT, "false alarms: %d (%.2f per 1,000 device-hours); static baseline: %d (%.2f)%n",
                report.falseAlarms(), report.falseAlarmsPer1000DeviceHours(), report.staticFalseAlarms(),
                report.staticFalseAlarmsPer1000DeviceHours());
        if (!report.falseAlarmsByRule().isEmpty()) {
            out.println("false alarms by rule: " + report.falseAlarmsByRule());
        }
        out.printf(Locale.ROOT, "false quarantines: %d (%.2f per 1,000 device-days)%n", report.falseQuarantines(),
                report.falseQuarantinesPer1000DeviceDays());
        out.println();
        out.println("goals:");
        for (Goal goal : goals(report)) {
            out.println("  " + (goal.met() ? "met   " : "MISSED") + "  " + goal.what());
        }
    }

    /** One of the detection issue's goals and whether the evaluation met it. */
    public record Goal(String what, boolean met) {
    }

    public static List<Goal> goals(Report report) {
        List<Goal> goals = new ArrayList<>();
        for (ScenarioReport s : report.scenarios()) {
            goals.add(new Goal(s.attack().wireName() + " detected in >= 95% of instances", s.detectionRate() >= 0.95));
            if (s.attack().fastQuarantineExpected()) {
                goals.add(new Goal(s.attack().wireName() + " median time to quarantine <= 2 s",
                        s.medianQuarantineSeconds().map(m -> m <= 2).orElse(false)));
            }
        }
        goals.add(new Goal("<= 1 false quarantine per 1,000 device-days", report.falseQuarantinesPer1000DeviceDays() <= 1));
        return goals;
    }

    public static boolean goalsMet(Report report) {
        return goals(report).stream().allMatch(Goal::met);
    }

    /** The report as JSON ({@code palisade detect eval --json}). */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(Report report) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var node = json.createObjectNode();
        var scenarios = node.putArray("scenarios");
        for (ScenarioReport s : report.scenarios()) {
            var row = scenarios.addObject().put("scenario", s.attack().wireName()).put("instances", s.instances())
                    .put("detection_rate", s.detectionRate()).put("static_detection_rate", s.staticDetectionRate())
                    .put("quarantined", s.quarantined());
            s.medianDetectSeconds().ifPresent(v -> row.put("median_detect_s", v));
            s.p95DetectSeconds().ifPresent(v -> row.put("p95_detect_s", v));
            s.medianStaticDetectSeconds().ifPresent(v -> row.put("static_median_detect_s", v));
            s.medianQuarantineSeconds().ifPresent(v -> row.put("median_quarantine_s", v));
            s.p95QuarantineSeconds().ifPresent(v -> row.put("p95_quarantine_s", v));
            s.auc().ifPresent(v -> row.put("roc_auc", v));
            s.staticAuc().ifPresent(v -> row.put("static_roc_auc", v));
        }
        node.put("normal_device_hours", report.normalDeviceHours())
                .put("false_alarms", report.falseAlarms())
                .put("false_alarms_per_1000_device_hours", report.falseAlarmsPer1000DeviceHours())
                .put("static_false_alarms", report.staticFalseAlarms())
                .put("static_false_alarms_per_1000_device_hours", report.staticFalseAlarmsPer1000DeviceHours())
                .put("false_quarantines", report.falseQuarantines())
                .put("false_quarantines_per_1000_device_days", report.falseQuarantinesPer1000DeviceDays());
        var goals = node.putArray("goals");
        goals(report).forEach(g -> goals.addObject().put("goal", g.what()).put("met", g.met()));
        return node;
    }

    private static String pair(Optional<Double> median, Optional<Double> p95) {
        return median.isEmpty() ? "-" : one(median) + " / " + one(p95);
    }

    private static String one(Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v)).orElse("-");
    }
}
