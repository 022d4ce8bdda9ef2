package io.palisade.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the audit trail reads from (and writes to) the event store. */
public interface EventChainStore {

    /** Stored events after {@code afterId} with their links, in id order, at most {@code limit}. */
    List<ChainedEvent> chained(long afterId, int limit);

    /** The link stored for the newest event at or before {@code id} (empty when none is chained). */
    Optional<byte[]> linkAtOrBefore(long id);

    /** Gap records by the id of the first event after each gap. */
    Map<Long, ChainGap> gaps();

    /** Checkpoints by event id. */
    Map<Long, ChainCheckpoint> checkpoints();

    /** Signs the newest event's link as a checkpoint when {@code everyEvents} events or {@code now} past due; returns it. */
    Optional<ChainCheckpoint> checkpointIfDue(Instant now, long everyEvents, java.time.Duration every);
}
