package io.palisade.core.event;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one path every security event takes. The store comes first ({@link EventRecorder}): external
 * destinations (SIEMs) read from it by durable cursor, so an event reaches them only once it is stored.
 * Then every subscriber (detection, metrics, a live view) gets the event at once, on the caller's thread,
 * in subscription order; a subscriber must not block, and one that throws is counted and logged, never
 * allowed to stop the others or the caller.
 *
 * <p>Two ways in, because callers differ in what they can afford: {@link #emit} is for data-plane threads
 * (the store write is queued, floods are aggregated, nothing waits for a disk), {@link #emitDurably} for a
 * caller about to answer an operator (the event is stored, or spooled, before it returns, so that
 * {@code palisade events} right after an action shows it).
 */
public final class EventBus implements EventSink {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final EventRecorder store;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public EventBus(EventRecorder store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Adds a subscriber, named for logs and health; it sees every event emitted from now on. */
    public void subscribe(String name, EventSink subscriber) {
        subscribers.add(new Subscriber(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(subscriber, "subscriber"), new AtomicLong()));
    }

    /** Queues the event for the store (never blocks) and hands it to every subscriber. */
    @Override
    public void emit(SecurityEvent event) {
        store.queue(event);
        publish(event);
    }

    /** Stores (or spools) the event before returning, then hands it to every subscriber. */
    public void emitDurably(SecurityEvent event) {
        store.record(event);
        publish(event);
    }

    /** This bus as a sink that stores before it returns. */
    public EventSink durable() {
        return this::emitDurably;
    }

    /** Failures of each subscriber since start, by name (a non-zero count means a subscriber is broken). */
    public java.util.Map<String, Long> subscriberFailures() {
        java.util.Map<String, Long> failures = new java.util.LinkedHashMap<>();
        for (Subscriber subscriber : subscribers) {
            failures.merge(subscriber.name(), subscriber.failures().get(), Long::sum);
        }
        return failures;
    }

    private void publish(SecurityEvent event) {
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.sink().emit(event);
            } catch (RuntimeException e) {
                long count = subscriber.failures().incrementAndGet();
                if (Long.bitCount(count) == 1) { // 1st, 2nd, 4th, ... failure: loud, but not a log flood
                    LOG.log(System.Logger.Level.ERROR, "event subscriber '" + subscriber.name() + "' failed on a "
                            + event.type().wireName() + " event (" + count + " failures so far)", e);
                }
            }
        }
    }

    private record Subscriber(String name, EventSink sink, AtomicLong failures) {
    }
}
