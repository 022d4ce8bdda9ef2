package io.palisade.core.event;

import java.util.List;

/** Durable, ordered store of security events. */
public interface EventStore extends EventSink {

    /** Stores the event durably and returns it with its assigned id. */
    SecurityEvent append(SecurityEvent event);

    @Override
    default void emit(SecurityEvent event) {
        append(event);
    }

    /** Stores several events in one durable step (one transaction); returns them with their ids. */
    default List<SecurityEvent> appendAll(List<SecurityEvent> events) {
        return events.stream().map(this::append).toList();
    }

    /** The id of the newest stored event, 0 when there is none. */
    long lastId();

    /** Events matching the query, in id order. */
    List<SecurityEvent> query(EventQuery query);

    /** The newest {@code limit} events of {@code type}, newest first (e.g. the alerts to show after a restart). */
    List<SecurityEvent> newest(EventType type, int limit);

    /**
     * Deletes events older than {@code olderThan}; then, while more than {@code keepAtMost} remain, the oldest
     * of the lowest severity first (an info event goes before any low one, and so on up to critical).
     * Returns how many were deleted.
     */
    long prune(java.time.Instant olderThan, long keepAtMost);
}
