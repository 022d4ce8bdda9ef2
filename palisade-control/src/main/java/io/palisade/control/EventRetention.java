package io.palisade.control;

import java.time.Duration;

/**
 * How long and how many security events the store keeps: older events go, and beyond the count the
 * oldest of the lowest severity go first, so that a flood of low-severity noise cannot push out the
 * high-severity record an investigation needs.
 *
 * @param maxAge    events older than this are deleted (at most 10 years)
 * @param maxEvents at most this many events are kept (at least 1,000)
 */
public record EventRetention(Duration maxAge, long maxEvents) {

    public static final EventRetention DEFAULT = new EventRetention(Duration.ofDays(90), 10_000_000);

    public EventRetention {
        if (maxAge.compareTo(Duration.ofHours(1)) < 0 || maxAge.compareTo(Duration.ofDays(3653)) > 0) {
            throw new IllegalArgumentException("--event-retention must be between 1h and 3653d, got " + maxAge);
        }
        if (maxEvents < 1_000) {
            throw new IllegalArgumentException("--event-max-count must be at least 1000, got " + maxEvents);
        }
    }
}
