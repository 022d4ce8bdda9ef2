package io.palisade.core.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps events that anyone can trigger at will from flooding the store: per subject (the device, or the
 * source address when no device is known) and type, the first {@link #PASSED_PER_WINDOW} events of each
 * window pass unchanged, the rest are counted, and when the window closes one summary event says how
 * many were suppressed ({@code details.suppressed}, {@code details.window_seconds}). Other event types
 * always pass.
 *
 * <p>Only the store's path is aggregated: detection keeps getting every event and counts them as
 * before. A quarantined device hammering refused publishes (57,926 {@code acl.denied} in 10 s before)
 * now writes at most a handful of events per 10 s. Thread-safe; state is bounded by
 * {@link #MAX_SUBJECTS} (beyond it, new subjects are aggregated under one "many sources" key).
 */
public final class EventAggregator implements EventSink, AutoCloseable {

    /** Event types an outsider or a misbehaving device can raise as fast as it sends packets. */
    public static final Set<EventType> AGGREGATED = EnumSet.of(EventType.ACL_DENIED, EventType.PROTOCOL_VIOLATION,
            EventType.QUOTA_EXCEEDED, EventType.AUTH_FAILED);
    public static final int PASSED_PER_WINDOW = 5;
    public static final int MAX_SUBJECTS = 100_000;
    private static final String MANY = "many sources";

    private final EventSink next;
    private final Clock clock;
    private final Duration window;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final ScheduledExecutorService closer;

    /** Aggregates into {@code next}, closing windows every {@code window} on a daemon thread of its own. */
    public EventAggregator(EventSink next, Clock clock, Duration window) {
        this(next, clock, window, true);
    }

    /** With {@code ownThread} false, windows close only when {@link #flush()} is called (tests). */
    EventAggregator(EventSink next, Clock clock, Duration window, boolean ownThread) {
        this.next = next;
        this.clock = clock;
        this.window = window;
        if (ownThread) {
            closer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "palisade-event-aggregator");
                thread.setDaemon(true);
                return thread;
            });
            closer.scheduleWithFixedDelay(this::flush, window.toMillis(), window.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            closer = null;
        }
    }

    @Override
    public void emit(SecurityEvent event) {
        if (!AGGREGATED.contains(event.type())) {
            next.emit(event);
            return;
        }
        String subject = event.device().map(d -> "device " + d.value()).orElse(event.source());
        String key = event.type().wireName() + "|" + subject;
        if (!tallies.containsKey(key) && tallies.size() >= MAX_SUBJECTS) {
            key = event.type().wireName() + "|" + MANY;
            subject = MANY;
        }
        String finalSubject = subject;
        boolean[] pass = new boolean[1];
        // Counting and closing a window both happen inside the map's per-key compute: a count can never
        // land in a tally that a window close is just removing.
        tallies.compute(key, (k, tally) -> {
            Tally current = tally != null ? tally : new Tally(finalSubject, event.type());
            pass[0] = current.admit(event);
            return current;
        });
        if (pass[0]) {
            next.emit(event);
        }
    }

    /** Closes every window that has run its time: one summary per subject that had events suppressed. */
    public void flush() {
        Instant now = clock.instant();
        for (String key : tallies.keySet()) {
            SecurityEvent[] summary = new SecurityEvent[1];
            tallies.computeIfPresent(key, (k, tally) -> {
                summary[0] = tally.closeIfDue(now, window);
                return tally.idle() ? null : tally;
            });
            if (summary[0] != null) {
                next.emit(summary[0]);
            }
        }
    }

    /** Writes the summaries of open windows and stops the window thread. */
    @Override
    public void close() {
        if (closer != null) {
            closer.shutdownNow();
        }
        tallies.values().forEach(tally -> {
            SecurityEvent summary = tally.closeIfDue(Instant.MAX, window);
            if (summary != null) {
                next.emit(summary);
            }
        });
        tallies.clear();
    }

    /** One subject and type: the current window's count and its first event. */
    private final class Tally {
        private final String subject;
        private final EventType type;
        private Instant windowStart;
        private int passed;
        private long suppressed;
        private SecurityEvent first;
        private Severity worst = Severity.INFO;

        Tally(String subject, EventType type) {
            this.subject = subject;
            this.type = type;
        }

        synchronized boolean admit(SecurityEvent event) {
            if (windowStart == null) {
                windowStart = clock.instant();
                first = event;
            }
            if (passed < PASSED_PER_WINDOW) {
                passed++;
                return true;
            }
            suppressed++;
            if (event.severity().ordinal() > worst.ordinal()) {
                worst = event.severity();
            }
            return false;
        }

        /** The summary of a window past its end (null when nothing was suppressed); starts a fresh window. */
        synchronized SecurityEvent closeIfDue(Instant now, Duration length) {
            if (windowStart == null || now.isBefore(windowStart.plus(length))) {
                return null;
            }
            SecurityEvent summary = null;
            if (suppressed > 0) {
                summary = SecurityEvent.of(clock.instant(), type, worst, first.device().orElse(null),
                                first.source(), suppressed + " more " + type.wireName() + " events for " + subject
                                        + " in " + length.toSeconds() + " s were not stored one by one (first: "
                                        + first.message() + ")")
                        .withDetail("suppressed", Long.toString(suppressed))
                        .withDetail("window_seconds", Long.toString(length.toSeconds()));
            }
            windowStart = null;
            passed = 0;
            suppressed = 0;
            first = null;
            worst = Severity.INFO;
            return summary;
        }

        synchronized boolean idle() {
            return windowStart == null;
        }
    }
}
