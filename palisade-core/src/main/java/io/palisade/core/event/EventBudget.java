package io.palisade.core.event;

import java.time.Clock;
import java.time.Duration;

/**
 * How many flood-prone events (see {@link EventAggregator#AGGREGATED}) may be stored one by one per window
 * across every source and every listener together; beyond it they are only counted, in summaries. Shared
 * by the aggregators of the HTTPS and MQTT sides, so that the bound holds for the whole process. Refills
 * itself when a window has passed; thread-safe.
 */
public final class EventBudget {

    public static final int DEFAULT_PER_WINDOW = 1_000;

    private final int perWindow;
    private final Clock clock;
    private final long windowMillis;
    private long windowStart;
    private int taken;

    public EventBudget(int perWindow, Duration window, Clock clock) {
        if (perWindow < 1) {
            throw new IllegalArgumentException("--event-budget must be at least 1, got " + perWindow);
        }
        this.perWindow = perWindow;
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.windowStart = clock.millis();
    }

    public int perWindow() {
        return perWindow;
    }

    /** Takes one event's room; false when this window's budget is spent. */
    public synchronized boolean tryTake() {
        long now = clock.millis();
        if (now - windowStart >= windowMillis) {
            windowStart = now;
            taken = 0;
        }
        if (taken >= perWindow) {
            return false;
        }
        taken++;
        return true;
    }
}
