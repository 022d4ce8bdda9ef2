package io.palisade.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * Lets a rule's finding about a subject through at most once per cooldown, so a device that keeps misbehaving
 * raises one alert, not one per packet; the learned model's findings at most once per {@link #MODEL_NANOS} (its
 * evidence changes slowly). Bounded: an attacker inventing subjects must not grow it without end.
 */
final class FindingCooldown {

    /** The model raises at most one finding per device in this time. */
    static final long MODEL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(30);

    private final long cooldownNanos;
    private final int capacity;
    private final Map<String, Long> lastFired = new HashMap<>();

    FindingCooldown(long cooldownNanos, int capacity) {
        this.cooldownNanos = cooldownNanos;
        this.capacity = capacity;
    }

    /** Whether the finding may fire now; if so, its cooldown starts. */
    boolean admits(Subject subject, Finding finding, long now) {
        String key = subject + "\n" + finding.rule();
        long cooldown = Detector.MODEL_RULE.equals(finding.rule()) ? Math.max(MODEL_NANOS, cooldownNanos) : cooldownNanos;
        synchronized (lastFired) {
            Long last = lastFired.get(key);
            if (last != null && now - last < cooldown) {
                return false;
            }
            lastFired.put(key, now);
            if (lastFired.size() > capacity) {
                lastFired.clear();
            }
            return true;
        }
    }
}
