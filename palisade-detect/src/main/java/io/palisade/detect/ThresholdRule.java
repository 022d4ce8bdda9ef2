package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A signature over one damped counter: fires when the counter reaches {@code threshold} (by default
 * events in about the last minute). The reason names the count, the limit and what it looks like.
 */
final class ThresholdRule implements Rule {

    private final String name;
    private final Function<DeviceBehaviour, DampedRate> counter;
    private final double threshold;
    private final Severity severity;
    private final String what;
    private final String unit;
    private final boolean counts;

    /** A rule over a count of events in about the last minute. */
    ThresholdRule(String name, Function<DeviceBehaviour, DampedRate> counter, double threshold, Severity severity,
                  String what) {
        this(name, counter, threshold, severity, what, "in about a minute", true);
    }

    /** A rule over an amount (not a count), such as seconds spent throttled; {@code unit} completes "%.1f ...". */
    ThresholdRule(String name, Function<DeviceBehaviour, DampedRate> counter, double threshold, Severity severity,
                  String what, String unit) {
        this(name, counter, threshold, severity, what, unit, false);
    }

    private ThresholdRule(String name, Function<DeviceBehaviour, DampedRate> counter, double threshold,
                          Severity severity, String what, String unit, boolean counts) {
        this.name = name;
        this.counter = counter;
        this.threshold = threshold;
        this.severity = severity;
        this.what = what;
        this.unit = unit;
        this.counts = counts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%s; fires at %s %s", what, counts ? String.format(Locale.ROOT, "%.0f",
                threshold) : Detector.number(threshold), unit);
    }

    @Override
    public Optional<Finding> evaluate(Subject subject, DeviceBehaviour behaviour, long now, boolean learning) {
        DampedRate rate = counter.apply(behaviour);
        double value = rate.value(now);
        // Counts are rounded: N events a few hundred milliseconds apart have decayed to a hair under N,
        // and "N in about a minute" must still count as N.
        double measured = counts ? Math.round(value) : value;
        if (measured < threshold) {
            return Optional.empty();
        }
        return Optional.of(new Finding(name, severity, String.format(Locale.ROOT,
                "%s: %s (%s %s; the limit is %s)", name, what, Detector.number(value), unit,
                Detector.number(threshold)), behaviour.features(now), rate.burstStartNanos(), measured / threshold));
    }

    @Override
    public double score(DeviceBehaviour behaviour, long now, boolean learning) {
        return counter.apply(behaviour).value(now) / threshold;
    }
}
