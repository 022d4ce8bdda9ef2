package io.palisade.core.event;

import io.palisade.core.device.DeviceId;
import java.util.Optional;

/**
 * A filter over the event store.
 *
 * @param afterId only events with a larger id (0 for all); lets a follower resume without gaps
 * @param limit   at most this many events, oldest first
 */
public record EventQuery(long afterId, int limit, Optional<EventType> type, Optional<DeviceId> device) {

    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (afterId < 0) {
            throw new IllegalArgumentException("after must be 0 or more, got " + afterId);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    public static EventQuery all() {
        return new EventQuery(0, MAX_LIMIT, Optional.empty(), Optional.empty());
    }
}
