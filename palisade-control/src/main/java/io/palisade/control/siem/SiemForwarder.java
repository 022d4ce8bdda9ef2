package io.palisade.control.siem;

import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.siem.SiemDestination;
import io.palisade.core.siem.SiemStore;
import java.io.IOException;
import io.palisade.core.cluster.Duty;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delivers one destination's events, on a thread of its own: reads the store after the destination's
 * cursor (the outbox is the event store itself), formats the events the destination wants, hands them to
 * the transport, and moves the durable cursor as far as the transport confirms. When the transport fails,
 * reading goes back to the cursor: what was sent but not confirmed is read again and sent first when the
 * receiver is back, after back-off (1 s doubling to 60 s); after a restart delivery resumes from the stored
 * cursor. At most {@value #MAX_UNCONFIRMED} records wait unconfirmed (reading pauses beyond that), so an
 * outage costs no memory, only backlog (events stored after the cursor), which is what {@link #status} shows.
 */
public final class SiemForwarder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SiemForwarder.class.getName());
    static final int BATCH = 500;
    static final int MAX_UNCONFIRMED = 1_000_000;
    static final Duration IDLE_POLL = Duration.ofMillis(200);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(60);

    private final SiemDestination destination;
    private final SiemTransport transport;
    private final EventFormatter formatter;
    private final EventStore events;
    private final SiemStore store;
    private final Clock clock;
    private final Thread thread;
    private final Duty duty;
    private volatile boolean running = true;

    // State the status reads; written by the forwarder's thread only.
    private volatile long cursor;
    private volatile long sent;
    private volatile long failures;
    private volatile String lastError = "";
    private volatile Instant failingSince;
    private volatile Instant lastDelivery;
    private volatile Instant nextAttempt;

    public SiemForwarder(SiemDestination destination, SiemTransport transport, EventFormatter formatter,
                         EventStore events, SiemStore store, Clock clock) {
        this(destination, transport, formatter, events, store, clock, Duty.ALWAYS);
    }

    /**
     * Delivering only while this instance holds {@code duty}: of several instances sharing the store, one exports
     * (each would otherwise send every event); the others stand by and continue from the shared cursor when the
     * duty comes to them.
     */
    public SiemForwarder(SiemDestination destination, SiemTransport transport, EventFormatter formatter,
                         EventStore events, SiemStore store, Clock clock, Duty duty) {
        this.duty = duty;
        this.destination = destination;
        this.transport = transport;
        this.formatter = formatter;
        this.events = events;
        this.store = store;
        this.clock = clock;
        this.cursor = store.cursor(destination.name());
        this.thread = new Thread(this::run, "palisade-siem-" + destination.name());
        this.thread.setDaemon(true);
    }

    /** Starts delivering; returns this. */
    public SiemForwarder start() {
        thread.start();
        return this;
    }

    public SiemDestination destination() {
        return destination;
    }

    private void run() {
        long readAfter = cursor;
        Duration wait = FIRST_RETRY;
        boolean standingBy = false;
        while (running) {
            List<SecurityEvent> batch = List.of();
            try {
                if (!duty.held()) {
                    standingBy = true;
                    if (!pause(IDLE_POLL)) {
                        return;
                    }
                    continue;
                }
                if (standingBy) { // another instance may have moved the cursor meanwhile
                    standingBy = false;
                    cursor = store.cursor(destination.name());
                    readAfter = cursor;
                }
                if (transport.unconfirmed() < MAX_UNCONFIRMED) {
                    batch = events.query(new EventQuery(readAfter, BATCH, Optional.empty(), Optional.empty()));
                }
                List<Outgoing> outgoing = new ArrayList<>(batch.size());
                for (SecurityEvent event : batch) {
                    if (destination.wants(event)) {
                        outgoing.add(new Outgoing(event.id(), formatter.format(event)));
                    }
                }
                long confirmed;
                try {
                    confirmed = transport.deliver(outgoing);
                } catch (IOException | RuntimeException e) {
                    readAfter = cursor; // what was not confirmed is read and sent again
                    throw e;
                }
                sent += outgoing.size();
                if (!batch.isEmpty()) {
                    readAfter = batch.get(batch.size() - 1).id();
                }
                // Skipped events count as delivered once nothing before them waits for confirmation.
                advance(transport.unconfirmed() == 0 ? readAfter : confirmed);
                if (failingSince != null) {
                    LOG.log(System.Logger.Level.WARNING, "SIEM destination " + destination.name() + " ("
                            + destination.url() + ") reachable again after " + Duration.between(failingSince,
                            clock.instant()).toSeconds() + " s");
                    failingSince = null;
                    lastError = "";
                    nextAttempt = null;
                }
                wait = FIRST_RETRY;
                if (batch.size() < BATCH && !pause(IDLE_POLL)) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                failures++;
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (failingSince == null) {
                    failingSince = clock.instant();
                    LOG.log(System.Logger.Level.ERROR, "SIEM destination " + destination.name() + " ("
                            + destination.url() + ") failing: " + error + "; retrying with back-off, events wait in"
                            + " the store");
                }
                lastError = error;
                nextAttempt = clock.instant().plus(wait);
                if (!pause(wait)) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            }
        }
    }

    private void advance(long to) {
        if (to > cursor) {
            store.advance(destination.name(), to);
            cursor = to;
            lastDelivery = clock.instant();
        }
    }

    private synchronized boolean pause(Duration duration) {
        return io.palisade.core.time.Waits.pause(this, duration, () -> running);
    }

    /** Where delivery stands. {@code backlog} is the number of events stored after the cursor (an upper bound). */
    public Status status() {
        long last = events.lastId();
        return new Status(destination, cursor, Math.max(0, last - cursor), transport.unconfirmed(), sent,
                failures, lastError, Optional.ofNullable(failingSince), Optional.ofNullable(lastDelivery),
                Optional.ofNullable(nextAttempt));
    }

    /** Stops delivering; what is unconfirmed is sent again from the cursor by the next start. */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    /** A destination's delivery as operators see it in {@code palisade siem list}. */
    public record Status(SiemDestination destination, long cursor, long backlog, int unconfirmed, long sent,
                         long failures, String lastError, Optional<Instant> failingSince,
                         Optional<Instant> lastDelivery, Optional<Instant> nextAttempt) {

        public boolean failing() {
            return failingSince.isPresent();
        }
    }
}
