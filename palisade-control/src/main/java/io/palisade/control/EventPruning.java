package io.palisade.control;

import io.palisade.core.event.EventStore;
import java.time.Clock;

/**
 * The hourly sweep that keeps the event store within its {@link EventRetention}. A failure (the store
 * unavailable) is logged and the next sweep tries again; what was deleted is logged, since the deletion
 * itself leaves no event behind.
 */
final class EventPruning implements Runnable {

    private static final System.Logger LOG = System.getLogger(EventPruning.class.getName());

    private final EventStore store;
    private final EventRetention retention;
    private final Clock clock;

    EventPruning(EventStore store, EventRetention retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            long deleted = store.prune(clock.instant().minus(retention.maxAge()), retention.maxEvents());
            if (deleted > 0) {
                LOG.log(System.Logger.Level.INFO, "deleted " + deleted + " security events beyond the retention ("
                        + retention.maxAge().toDays() + " days, at most " + retention.maxEvents() + " events)");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pruning security events failed; retrying in an hour: " + e);
        }
    }
}
