package io.palisade.detect;

import java.util.Locale;
import java.util.Optional;

/** Evaluates operator-defined rules ({@link OperatorRule}) against a subject's behaviour. */
final class OperatorRules {

    /** A percentile rule needs at least this many cohort samples behind the percentile. */
    static final double MIN_COHORT_SAMPLES = 100;

    private OperatorRules() {
    }

    /**
     * @param cohort the subject's cohort model (null for address subjects, which only threshold and
     *               rate-of-change rules without a profile or segment cover)
     */
    static Optional<Finding> evaluate(OperatorRule rule, Subject subject, DeviceBehaviour behaviour, CohortModel cohort,
                                      long now, boolean learning, long learningNanos) {
        if (!rule.covers(behaviour.scope) || (subject.device().isEmpty() && (!rule.profile().isEmpty()
                || !rule.segment().isEmpty()))) {
            return Optional.empty();
        }
        double value = rule.feature().value(behaviour, now);
        String feature = rule.feature().wireName();
        return switch (rule.kind()) {
            case THRESHOLD -> value >= rule.value() && rule.value() > 0
                    ? finding(rule, subject, behaviour, now, value / rule.value(), String.format(Locale.ROOT,
                            "%s is %s, at or over the limit of %s", feature, Detector.number(value),
                            Detector.number(rule.value())))
                    : Optional.empty();
            case PERCENTILE -> {
                if (cohort == null || learning || now - cohort.createdNanos() < learningNanos) {
                    yield Optional.empty();
                }
                double[] percentile = cohort.percentile(rule.feature(), rule.value());
                if (percentile[1] < MIN_COHORT_SAMPLES || value <= percentile[0]) {
                    yield Optional.empty();
                }
                yield finding(rule, subject, behaviour, now, percentile[0] > 0 ? value / percentile[0] : 2,
                        String.format(Locale.ROOT, "%s is %s, above the %s percentile of profile '%s' (%s)", feature,
                                Detector.number(value), ordinal(rule.value()), cohort.name(),
                                Detector.number(percentile[0])));
            }
            case RATE_OF_CHANGE -> {
                double before = behaviour.history(rule.name()).meanThenAdd(value, now);
                double rise = value - before;
                yield rise >= rule.value() && rule.value() > 0
                        ? finding(rule, subject, behaviour, now, rise / rule.value(), String.format(Locale.ROOT,
                                "%s rose by %s to %s (its average of the last few minutes was %s; the limit is a rise"
                                        + " of %s)", feature, Detector.number(rise), Detector.number(value),
                                Detector.number(before), Detector.number(rule.value())))
                        : Optional.empty();
            }
        };
    }

    private static Optional<Finding> finding(OperatorRule rule, Subject subject, DeviceBehaviour behaviour, long now,
                                             double score, String what) {
        String reason = rule.name() + ": " + subject + " " + what
                + (rule.description().isEmpty() ? "" : " (" + rule.description() + ")");
        return Optional.of(new Finding(rule.name(), rule.severity(), reason, behaviour.features(now), now, score,
                Optional.of(rule.action())));
    }

    private static String ordinal(double percentile) {
        String number = percentile == Math.rint(percentile) ? Long.toString((long) percentile)
                : Double.toString(percentile);
        return number + "th";
    }
}
