package io.palisade.detect;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How detection behaves.
 *
 * @param autoQuarantine  high-severity findings quarantine at once (else they propose a quarantine for approval)
 * @param learningPeriod  how long a subject (and a cohort, for the learned model) is watched before
 *                        baseline rules, percentile rules and the model may fire; signatures fire from the first second
 * @param maxSubjects     subjects tracked at most; the least recently seen are forgotten first
 * @param cooldown        a rule fires at most once per subject within this time
 * @param model           whether the learned model (a random cut forest per profile) runs
 * @param sampleInterval  how often the model takes a sample of each active device
 * @param responses       response actions by rule name, overriding the defaults by severity
 * @param benignSilence   how long a "benign" verdict silences the rule for that subject
 */
public record DetectionConfig(boolean autoQuarantine, Duration learningPeriod, int maxSubjects, Duration cooldown,
                              boolean model, Duration sampleInterval, Map<String, ResponseAction> responses,
                              Duration benignSilence) {

    public static final Duration DEFAULT_LEARNING_PERIOD = Duration.ofHours(24);
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(30);

    public DetectionConfig {
        Objects.requireNonNull(learningPeriod, "learningPeriod");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(benignSilence, "benignSilence");
        responses = Map.copyOf(responses);
        if (learningPeriod.isNegative() || maxSubjects < 1 || cooldown.isNegative() || benignSilence.isNegative()) {
            throw new IllegalArgumentException("detection: learning period, cooldown and silence must not be negative,"
                    + " and at least one subject must be tracked");
        }
        if (sampleInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("detection: the model's sampling interval must be at least 100 ms");
        }
    }

    public DetectionConfig(boolean autoQuarantine, Duration learningPeriod, int maxSubjects, Duration cooldown) {
        this(autoQuarantine, learningPeriod, maxSubjects, cooldown, true, DEFAULT_SAMPLE_INTERVAL, Map.of(),
                Duration.ofHours(24));
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(true, DEFAULT_LEARNING_PERIOD, 200_000, Duration.ofMinutes(5));
    }

    public DetectionConfig withLearningPeriod(Duration period) {
        return new DetectionConfig(autoQuarantine, period, maxSubjects, cooldown, model, sampleInterval, responses,
                benignSilence);
    }

    public DetectionConfig withAutoQuarantine(boolean enabled) {
        return new DetectionConfig(enabled, learningPeriod, maxSubjects, cooldown, model, sampleInterval, responses,
                benignSilence);
    }

    public DetectionConfig withModel(boolean enabled) {
        return new DetectionConfig(autoQuarantine, learningPeriod, maxSubjects, cooldown, enabled, sampleInterval,
                responses, benignSilence);
    }

    public DetectionConfig withSampleInterval(Duration interval) {
        return new DetectionConfig(autoQuarantine, learningPeriod, maxSubjects, cooldown, model, interval, responses,
                benignSilence);
    }

    public DetectionConfig withResponses(Map<String, ResponseAction> overrides) {
        return new DetectionConfig(autoQuarantine, learningPeriod, maxSubjects, cooldown, model, sampleInterval,
                overrides, benignSilence);
    }
}
