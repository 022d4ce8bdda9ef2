package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A signature over one damped counter: fires when the counter reaches {@code threshold} (events in
 * about the last minute). The reason names the count, the limit and what it looks like.
 */
final class ThresholdRule implements Rule {

    private final String name;
    private final Function<DeviceBehaviour, DampedRate> counter;
    private final double threshold;
    private final Severity severity;
    private final String what;

    ThresholdRule(String name, Function<DeviceBehaviour, DampedRate> counter, double threshold, Severity severity,
                  String what) {
        this.name = name;
        this.counter = counter;
        this.threshold = threshold;
        this.severity = severity;
        this.what = what;
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
        return String.format(Locale.ROOT, "%s; fires at %.0f in about a minute", what, threshold);
    }

    @Override
    public Optional<Finding> evaluate(Subject subject, DeviceBehaviour behaviour, long now, boolean learning) {
        DampedRate rate = counter.apply(behaviour);
        double value = rate.value(now);
        // Rounded: N events a few hundred milliseconds apart have decayed to a hair under N, and "N in
        // about a minute" must still count as N.
        if (Math.round(value) < threshold) {
            return Optional.empty();
        }
        return Optional.of(new Finding(name, severity, String.format(Locale.ROOT,
                "%s: %s (%.0f in about a minute; the limit is %.0f)", name, what, value, threshold),
                behaviour.features(now), rate.burstStartNanos(), Math.round(value) / threshold));
    }

    @Override
    public double score(DeviceBehaviour behaviour, long now, boolean learning) {
        return counter.apply(behaviour).value(now) / threshold;
    }
}
