package io.palisade.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operator feedback changed: per subject and rule, a factor on the evidence the rule needs
 * (doubled by each false positive, at most {@link #MAX_FACTOR}) and a time until which the rule is
 * silent for that subject (set by a benign verdict). Bounded; the oldest entries go first.
 * Thread-safe.
 */
final class Tuning {

    static final double MAX_FACTOR = 64;
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, TuningEntry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TuningEntry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Whether a finding of {@code score} (1 = just at the rule's own limit) should still be raised. */
    synchronized boolean admits(String subject, String rule, double score, Instant now) {
        if (entries.isEmpty()) {
            return true;
        }
        TuningEntry entry = entries.get(key(subject, rule));
        if (entry == null) {
            return true;
        }
        if (entry.silentUntil().isPresent() && now.isBefore(entry.silentUntil().get())) {
            return false;
        }
        return score >= entry.factor();
    }

    /** A false positive: the rule needs twice the evidence for this subject from now on. */
    synchronized TuningEntry falsePositive(String subject, String rule) {
        TuningEntry old = entries.getOrDefault(key(subject, rule), new TuningEntry(subject, rule, 1, Optional.empty()));
        TuningEntry updated = new TuningEntry(subject, rule, Math.min(MAX_FACTOR, old.factor() * 2), old.silentUntil());
        entries.put(key(subject, rule), updated);
        return updated;
    }

    /** A benign finding: the rule is silent for this subject for {@code silence}. */
    synchronized TuningEntry benign(String subject, String rule, Instant now, Duration silence) {
        TuningEntry old = entries.getOrDefault(key(subject, rule), new TuningEntry(subject, rule, 1, Optional.empty()));
        TuningEntry updated = new TuningEntry(subject, rule, old.factor(), Optional.of(now.plus(silence)));
        entries.put(key(subject, rule), updated);
        return updated;
    }

    synchronized void restore(TuningEntry entry) {
        entries.put(key(entry.subject(), entry.rule()), entry);
    }

    synchronized List<TuningEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    private static String key(String subject, String rule) {
        return subject + "\n" + rule;
    }
}
