package io.palisade.core.event;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes events to the store and, while the store refuses them (database restarted, disk locked), to an
 * {@link EventSpool}; a replay thread hands the spooled events to the store, oldest first, as soon as it
 * takes writes again. "Nothing accepted is lost" then holds through a store outage without restarting.
 *
 * <p>Order: once anything is spooled, newer events queue behind it in the spool until the replay has
 * caught up, so one source's events reach the store in the order they were raised. Delivery is at least
 * once: a write that fails after the database committed it (connection lost during the commit) is
 * replayed and stored twice; losing it would be worse.
 */
public final class SpoolingEventWriter implements EventSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SpoolingEventWriter.class.getName());
    private static final int REPLAY_BATCH = 500;
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration LAST_RETRY = Duration.ofSeconds(10);

    private final Consumer<List<SecurityEvent>> store;
    /** What {@code store} writes to, as the log names it: "event store", "shared event log (kafka://...)". */
    private final String destination;
    private final EventSpool spool;
    private final Clock clock;
    private final Thread replay;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile boolean running = true;
    /** When the current outage began; null while the store takes writes. */
    private Instant outageSince;
    private String outageCause = "";

    public SpoolingEventWriter(Consumer<List<SecurityEvent>> store, EventSpool spool, Clock clock) {
        this(store, "event store", spool, clock);
    }

    public SpoolingEventWriter(Consumer<List<SecurityEvent>> store, String destination, EventSpool spool, Clock clock) {
        this.store = store;
        this.destination = destination;
        this.spool = spool;
        this.clock = clock;
        if (!spool.isEmpty()) {
            outageSince = clock.instant();
            outageCause = "events spooled before the last stop";
            LOG.log(System.Logger.Level.WARNING, spool.pending() + " security events spooled in " + spool.file()
                    + " before the last stop; storing them now");
        }
        this.replay = new Thread(this::replayLoop, "palisade-event-replay");
        this.replay.setDaemon(true);
        this.replay.start();
    }

    @Override
    public void emit(SecurityEvent event) {
        write(List.of(event));
    }

    /** Stores {@code batch}, or spools it when the store refuses it or older events are still spooled. */
    public void write(List<SecurityEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!spool.isEmpty()) {
                spool(batch);
                return;
            }
        }
        try {
            store.accept(batch);
        } catch (RuntimeException e) {
            synchronized (this) {
                if (outageSince == null) {
                    outageSince = clock.instant();
                    outageCause = describe(e);
                    LOG.log(System.Logger.Level.ERROR, destination + " unavailable (" + outageCause + "): spooling"
                            + " security events to " + spool.file() + " and replaying them when it is back");
                }
                spool(batch);
            }
        }
    }

    private void spool(List<SecurityEvent> batch) {
        try {
            int written = spool.append(batch);
            if (written < batch.size()) {
                countLost(batch.size() - written, "the spool " + spool.file() + " is full");
            }
        } catch (IOException e) {
            countLost(batch.size(), "the spool " + spool.file() + " cannot be written: " + e.getMessage());
        }
        notifyAll();
    }

    private void countLost(int count, String why) {
        long total = lost.addAndGet(count);
        LOG.log(System.Logger.Level.ERROR, count + " security events lost (" + total + " in all): the store is"
                + " unavailable and " + why);
    }

    private void replayLoop() {
        Duration wait = FIRST_RETRY;
        while (running) {
            EventSpool.Batch batch;
            synchronized (this) {
                while (running && spool.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
            }
            if (!sleep(wait)) {
                return;
            }
            try {
                synchronized (this) {
                    batch = spool.peek(REPLAY_BATCH);
                }
                if (!batch.events().isEmpty()) {
                    store.accept(batch.events());
                }
                synchronized (this) {
                    spool.taken(batch);
                    replayed.addAndGet(batch.events().size());
                    if (batch.damaged()) {
                        LOG.log(System.Logger.Level.ERROR, "the event spool " + spool.file() + " holds damaged"
                                + " records; events after the damage were skipped");
                    }
                    if (spool.isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, destination + " back after "
                                + Duration.between(outageSince == null ? clock.instant() : outageSince,
                                clock.instant()).toSeconds() + " s: " + replayed.get() + " spooled events stored");
                        outageSince = null;
                        replayed.set(0);
                    }
                }
                wait = FIRST_RETRY;
            } catch (RuntimeException | IOException e) {
                synchronized (this) {
                    outageCause = describe(e);
                }
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
            }
        }
    }

    /** Waits {@code duration} or until closed; returns whether to go on (a monitor wait: see {@link io.palisade.core.time.Waits}). */
    private synchronized boolean sleep(Duration duration) {
        return io.palisade.core.time.Waits.pause(this, duration, () -> running);
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String own = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e || root.getMessage() == null || own.contains(root.getMessage())
                ? own : own + ": " + root.getMessage();
    }

    /** Events waiting in the spool for the store. */
    public synchronized long spooled() {
        return spool.pending();
    }

    /** Events neither stored nor spooled (spool full or unwritable) since start. */
    public long lost() {
        return lost.get();
    }

    /** Since when the store has been refusing writes, and why; empty while it takes them. */
    public synchronized Optional<Outage> outage() {
        return outageSince == null ? Optional.empty() : Optional.of(new Outage(outageSince, outageCause, spool.pending()));
    }

    /** Stops replaying; whatever is still spooled stays on disk and is replayed at the next start. */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        try {
            replay.join(5_000);
            synchronized (this) {
                spool.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the event spool " + spool.file() + ": " + e.getMessage());
        }
    }

    /** A store outage as operators see it in health and logs. */
    public record Outage(Instant since, String cause, long spooled) {
    }
}
