package io.palisade.control;

import io.palisade.core.event.EventBudget;
import java.time.Duration;

/**
 * How long, how many and how fast security events are kept: older events go, beyond the count the oldest of
 * the lowest severity go first (so that a flood of low-severity noise cannot push out the high-severity
 * record an investigation needs), and of the events anyone can raise at will (refused publishes, malformed
 * requests, failed logins) at most {@code floodBudget} per 10 s are stored one by one across all sources,
 * the rest counted in summaries.
 *
 * @param maxAge      events older than this are deleted (at most 10 years)
 * @param maxEvents   at most this many events are kept (at least 1,000)
 * @param floodBudget flood-prone events stored one by one per 10 s, process-wide (at least 1)
 */
public record EventRetention(Duration maxAge, long maxEvents, int floodBudget) {

    public static final Duration FLOOD_WINDOW = Duration.ofSeconds(10);
    public static final EventRetention DEFAULT = new EventRetention(Duration.ofDays(90), 10_000_000,
            EventBudget.DEFAULT_PER_WINDOW);

    public EventRetention(Duration maxAge, long maxEvents) {
        this(maxAge, maxEvents, EventBudget.DEFAULT_PER_WINDOW);
    }

    public EventRetention {
        if (floodBudget < 1) {
            throw new IllegalArgumentException("--event-budget must be at least 1, got " + floodBudget);
        }
        if (maxAge.compareTo(Duration.ofHours(1)) < 0 || maxAge.compareTo(Duration.ofDays(3653)) > 0) {
            throw new IllegalArgumentException("--event-retention must be between 1h and 3653d, got " + maxAge);
        }
        if (maxEvents < 1_000) {
            throw new IllegalArgumentException("--event-max-count must be at least 1000, got " + maxEvents);
        }
    }
}
