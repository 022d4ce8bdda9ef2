package io.palisade.core.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 *
 * <p>A global budget holds when the flood comes from many subjects at once (many addresses, many devices):
 * across all subjects at most {@link EventBudget#perWindow()} aggregated events pass per window (one budget
 * shared by every aggregator of the process), and at
 * most {@link #SUMMARIES_PER_WINDOW} summaries are written one by one (those with the largest counts); the
 * rest of each type are merged into one summary naming how many subjects and events it stands for.
 */
public final class EventAggregator implements EventSink, AutoCloseable {

    /** Event types an outsider or a misbehaving device can raise as fast as it sends packets. */
    public static final Set<EventType> AGGREGATED = EnumSet.of(EventType.ACL_DENIED, EventType.PROTOCOL_VIOLATION,
            EventType.QUOTA_EXCEEDED, EventType.AUTH_FAILED);
    public static final int PASSED_PER_WINDOW = 5;
    public static final int MAX_SUBJECTS = 100_000;
    public static final int SUMMARIES_PER_WINDOW = 100;
    private static final String MANY = "many sources";

    private final EventSink next;
    private final Clock clock;
    private final Duration window;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final ScheduledExecutorService closer;
    private final EventBudget budget;

    /**
     * Aggregates into {@code next}, closing windows every {@code window} on a daemon thread of its own, within
     * {@code budget} (shared with the process's other aggregators).
     */
    public EventAggregator(EventSink next, Clock clock, Duration window, EventBudget budget) {
        this(next, clock, window, budget, true);
    }

    /** With {@code ownThread} false, windows close only when {@link #flush()} is called (tests). */
    EventAggregator(EventSink next, Clock clock, Duration window, EventBudget budget, boolean ownThread) {
        this.next = next;
        this.clock = clock;
        this.window = window;
        this.budget = budget;
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
        closeWindows(clock.instant());
    }

    private void closeWindows(Instant now) {
        List<SecurityEvent> summaries = new ArrayList<>();
        for (String key : tallies.keySet()) {
            SecurityEvent[] summary = new SecurityEvent[1];
            tallies.computeIfPresent(key, (k, tally) -> {
                summary[0] = tally.closeIfDue(now, window);
                return tally.idle() ? null : tally;
            });
            if (summary[0] != null) {
                summaries.add(summary[0]);
            }
        }
        withinSummaryBudget(summaries).forEach(next::emit);
    }

    /**
     * The {@link #SUMMARIES_PER_WINDOW} summaries with the largest counts as they are; the others merged into
     * one summary per type, so that a flood from a hundred thousand addresses writes a bounded number of events.
     */
    private List<SecurityEvent> withinSummaryBudget(List<SecurityEvent> summaries) {
        if (summaries.size() <= SUMMARIES_PER_WINDOW) {
            return summaries;
        }
        summaries.sort(java.util.Comparator.comparingLong(EventAggregator::suppressedIn).reversed());
        List<SecurityEvent> kept = new ArrayList<>(summaries.subList(0, SUMMARIES_PER_WINDOW));
        Map<EventType, List<SecurityEvent>> rest = new java.util.EnumMap<>(EventType.class);
        for (SecurityEvent summary : summaries.subList(SUMMARIES_PER_WINDOW, summaries.size())) {
            rest.computeIfAbsent(summary.type(), t -> new ArrayList<>()).add(summary);
        }
        rest.forEach((type, merged) -> {
            long suppressed = merged.stream().mapToLong(EventAggregator::suppressedIn).sum();
            Severity worst = merged.stream().map(SecurityEvent::severity).max(java.util.Comparator.naturalOrder())
                    .orElse(Severity.INFO);
            kept.add(SecurityEvent.of(clock.instant(), type, worst, null, MANY, suppressed + " more "
                            + type.wireName() + " events from " + merged.size() + " more subjects in "
                            + window.toSeconds() + " s were not stored one by one (global budget)")
                    .withDetail("suppressed", Long.toString(suppressed))
                    .withDetail("subjects", Integer.toString(merged.size()))
                    .withDetail("window_seconds", Long.toString(window.toSeconds())));
        });
        return kept;
    }

    private static long suppressedIn(SecurityEvent summary) {
        return Long.parseLong(summary.details().getOrDefault("suppressed", "0"));
    }

    /** Writes the summaries of open windows and stops the window thread. */
    @Override
    public void close() {
        if (closer != null) {
            closer.shutdownNow();
        }
        closeWindows(Instant.MAX);
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
            if (passed < PASSED_PER_WINDOW && budget.tryTake()) {
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
