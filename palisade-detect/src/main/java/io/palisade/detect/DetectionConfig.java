package io.palisade.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * How detection behaves.
 *
 * @param autoQuarantine  quarantine a device at once on a high-severity finding (else only alert)
 * @param learningPeriod  how long a subject is watched before baseline rules (new network, flood
 *                        against its own normal) may fire; signatures fire from the first second
 * @param maxSubjects     subjects tracked at most; the least recently seen are forgotten first
 * @param cooldown        a rule fires at most once per subject within this time
 */
public record DetectionConfig(boolean autoQuarantine, Duration learningPeriod, int maxSubjects, Duration cooldown) {

    public static final Duration DEFAULT_LEARNING_PERIOD = Duration.ofHours(24);

    public DetectionConfig {
        Objects.requireNonNull(learningPeriod, "learningPeriod");
        Objects.requireNonNull(cooldown, "cooldown");
        if (learningPeriod.isNegative() || maxSubjects < 1 || cooldown.isNegative()) {
            throw new IllegalArgumentException("detection: learning period and cooldown must not be negative, and"
                    + " at least one subject must be tracked");
        }
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(true, DEFAULT_LEARNING_PERIOD, 200_000, Duration.ofMinutes(5));
    }

    public DetectionConfig withLearningPeriod(Duration period) {
        return new DetectionConfig(autoQuarantine, period, maxSubjects, cooldown);
    }

    public DetectionConfig withAutoQuarantine(boolean enabled) {
        return new DetectionConfig(enabled, learningPeriod, maxSubjects, cooldown);
    }
}
