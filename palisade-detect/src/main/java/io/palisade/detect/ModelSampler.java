package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Samples a device into its cohort's model and turns a run of anomalous samples into a finding of rule
 * {@link Detector#MODEL_RULE}: {@link #CONSECUTIVE} in a row, outside the device's and the cohort's learning
 * periods, naming the feature furthest out of the cohort's normal range. Called under the device's lock.
 */
final class ModelSampler {

    /** Model samples in a row that must look anomalous before the model raises a finding. */
    static final int CONSECUTIVE = 3;

    private final CohortModels cohorts;
    private final List<Rule> rules;
    private final Clock clock;
    private final long learningPeriodNanos;

    ModelSampler(CohortModels cohorts, List<Rule> rules, Clock clock, long learningPeriodNanos) {
        this.cohorts = cohorts;
        this.rules = rules;
        this.clock = clock;
        this.learningPeriodNanos = learningPeriodNanos;
    }

    /** The device's cohort model, looked up once per device (its profile is fixed while it is tracked). */
    CohortModel cohortOf(DeviceBehaviour behaviour, long now) {
        if (behaviour.cohort == null) {
            behaviour.cohort = cohorts.of(behaviour.scope.profile(), now);
        }
        return behaviour.cohort;
    }

    /** Samples the device; a finding after {@link #CONSECUTIVE} anomalous samples. */
    Optional<Finding> sample(Subject subject, DeviceBehaviour behaviour, long now, boolean learning) {
        CohortModel cohort = cohortOf(behaviour, now);
        var time = clock.instant().atOffset(ZoneOffset.UTC);
        double hour = time.getHour() + time.getMinute() / 60.0;
        CohortModel.Verdict verdict = cohort.sample(behaviour, now, hour);
        boolean cohortLearning = now - cohort.createdNanos() < learningPeriodNanos;
        double ruleScore = 0;
        for (Rule rule : rules) {
            ruleScore = Math.max(ruleScore, rule.score(behaviour, now, learning));
        }
        if (!learning && !cohortLearning) {
            behaviour.peakRuleScore = Math.max(behaviour.peakRuleScore, ruleScore);
            behaviour.peakModelScore = Math.max(behaviour.peakModelScore, verdict.ratio());
        }
        if (!verdict.anomalous()) {
            behaviour.anomalousSamples = 0;
            return Optional.empty();
        }
        if (behaviour.anomalousSamples++ == 0) {
            behaviour.anomalousSinceNanos = now;
        }
        if (learning || cohortLearning || behaviour.anomalousSamples < CONSECUTIVE) {
            return Optional.empty();
        }
        String reason = String.format(Locale.ROOT, "model: %s %s is %s the normal range of profile '%s' (%s to %s, 5th"
                        + " to 95th percentile); anomaly score %.1f times the cohort's threshold",
                subject, verdict.top().wireName() + " " + Detector.number(verdict.value()),
                verdict.above() ? "above" : "below", cohort.name(), Detector.number(verdict.normalLow()),
                Detector.number(verdict.normalHigh()), verdict.ratio());
        return Optional.of(new Finding(Detector.MODEL_RULE, Severity.MEDIUM, reason, behaviour.features(now),
                behaviour.anomalousSinceNanos, verdict.ratio()));
    }
}
