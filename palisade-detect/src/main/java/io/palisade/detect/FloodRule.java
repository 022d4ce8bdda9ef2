package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Locale;
import java.util.Optional;

/**
 * Payload flood against the subject's own baseline: after the learning period, a message rate over
 * the last ~10 s that is both above an absolute floor and many times the subject's one-hour baseline.
 * (Floods beyond the gateway's quotas are caught sooner by the quota-hit signature.)
 */
final class FloodRule implements Rule {

    static final String NAME = "payload-flood";
    private final double floorPerSecond;
    private final double factor;

    FloodRule(double floorPerSecond, double factor) {
        this.floorPerSecond = floorPerSecond;
        this.factor = factor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Severity severity() {
        return Severity.MEDIUM;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "message rate over about 10 s at least %.0f/s and %.0f times the device's"
                + " one-hour baseline (after its learning period)", floorPerSecond, factor);
    }

    @Override
    public Optional<Finding> evaluate(Subject subject, DeviceBehaviour behaviour, long now, boolean learning) {
        double score = score(behaviour, now, learning);
        if (score < 1) {
            return Optional.empty();
        }
        double rate = behaviour.messagesShort.value(now) / 10;
        double baseline = behaviour.messagesBaseline.value(now) / 3600;
        return Optional.of(new Finding(NAME, Severity.MEDIUM, String.format(Locale.ROOT,
                "%s: %.0f messages/s, %.0f times its normal %.2f/s", NAME, rate, rate / Math.max(baseline, 1e-9),
                baseline), behaviour.features(now), behaviour.messagesShort.burstStartNanos(), score));
    }

    @Override
    public double score(DeviceBehaviour behaviour, long now, boolean learning) {
        if (learning) {
            return 0;
        }
        double rate = behaviour.messagesShort.value(now) / 10;
        double baseline = behaviour.messagesBaseline.value(now) / 3600;
        return Math.min(rate / floorPerSecond, rate / Math.max(factor * baseline, 1e-9));
    }
}
