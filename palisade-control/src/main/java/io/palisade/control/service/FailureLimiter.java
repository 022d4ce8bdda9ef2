package io.palisade.control.service;

import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;

/**
 * Slows down guessing: each failed authentication or bad request from an address takes a token;
 * an address without tokens is refused before its credentials are even looked at. The refusal is
 * reported once per address per minute, so that a flood does not become an event flood.
 */
public final class FailureLimiter {

    /** Failures allowed in a burst from one address. */
    public static final int DEFAULT_BURST = 10;
    /** Failures per minute allowed after the burst. */
    public static final int DEFAULT_PER_MINUTE = 10;
    private static final int MAX_TRACKED_ADDRESSES = 100_000;

    private final KeyedRateLimiter<String> failures;
    private final KeyedRateLimiter<String> reports;
    private final Events events;

    public FailureLimiter(int burst, int perMinute, Events events, Clock clock) {
        this.failures = new KeyedRateLimiter<>(burst, perMinute / 60.0, MAX_TRACKED_ADDRESSES, clock);
        this.reports = new KeyedRateLimiter<>(1, 1 / 60.0, MAX_TRACKED_ADDRESSES, clock);
        this.events = events;
    }

    /** Throws a RATE_LIMITED refusal when {@code address} has used up its failures. */
    public void checkAllowed(String address) throws Refusal {
        if (failures.isLimited(address)) {
            long retryAfter = Math.max(1, failures.retryAfterSeconds(address));
            String message = "too many failed requests from " + address + "; retry in " + retryAfter + " s";
            if (reports.tryAcquire(address)) {
                events.emit(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address, message);
            }
            throw new Refusal(Refusal.Kind.RATE_LIMITED, message, retryAfter);
        }
    }

    /** Counts one failure against {@code address}. */
    public void recordFailure(String address) {
        failures.tryAcquire(address);
    }
}
