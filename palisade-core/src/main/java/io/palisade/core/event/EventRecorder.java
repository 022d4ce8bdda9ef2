package io.palisade.core.event;

import java.time.Clock;
import java.time.Duration;

/**
 * How events reach the store: {@link #record} writes at once (through the spooling writer, so a store
 * outage spools instead of failing), {@link #queue} hands the event to a bounded batching queue with
 * its own writer thread, behind an {@link EventAggregator} that keeps floods an outsider can raise at
 * will from filling the store. The first is for operators' actions, the second for data-plane threads.
 */
public final class EventRecorder implements AutoCloseable {

    private final SpoolingEventWriter writer;
    private final AsyncEventSink queued;
    private final EventAggregator floods;

    /** Writes through {@code writer}; floods are summarised per {@code floodWindow} within {@code floodBudget}. */
    public EventRecorder(SpoolingEventWriter writer, EventBudget floodBudget, Duration floodWindow, Clock clock) {
        this.writer = writer;
        this.queued = new AsyncEventSink(writer::write, AsyncEventSink.DEFAULT_CAPACITY);
        this.floods = new EventAggregator(queued, clock, floodWindow, floodBudget);
    }

    /** Stores the event (or spools it while the store refuses writes) before returning. */
    public void record(SecurityEvent event) {
        writer.emit(event);
    }

    /** Queues the event for the writer thread; never blocks (a full queue drops and counts). */
    public void queue(SecurityEvent event) {
        floods.emit(event);
    }

    /** Events dropped because the queue was full (the store could not keep up). */
    public long dropped() {
        return queued.droppedCount();
    }

    /** Blocks until what was queued before this call has been handed to the writer (flood summaries excepted). */
    public void flush() throws InterruptedException {
        queued.flush();
    }

    /** Writes the pending flood summaries and what is queued; the writer itself stays open. */
    @Override
    public void close() {
        floods.close();
        queued.close();
    }
}
