package io.palisade.core.cluster;

import io.palisade.core.event.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The events of several instances in one log that outlives any of them: each instance appends its events (an
 * append returns once the log holds them durably, or throws, and the caller spools), and each takes its share of
 * the log into the shared store. Delivery to the store is at least once and in order per device.
 */
public interface SharedEventLog extends AutoCloseable {

    /** Appends the batch durably (acknowledged by every in-sync replica) or throws with the reason. */
    void append(List<SecurityEvent> batch);

    /**
     * Starts taking this instance's share of the log into {@code store}; a batch the store refuses (it throws) is
     * offered again, after a pause, until it takes it, while the log keeps the events.
     */
    void drainInto(Consumer<List<SecurityEvent>> store);

    /** Since when the store has been refusing what this instance drains, if it is. */
    Optional<Instant> storeRefusingSince();

    /** Events in this instance's share of the log not yet in the store (the drain's lag); -1 when unknown. */
    long waiting();

    /** Where the log is, for operators' messages: {@code kafka://H:P topic palisade.events}. */
    String describe();

    @Override
    void close();
}
