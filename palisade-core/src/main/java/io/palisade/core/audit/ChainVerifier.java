package io.palisade.core.audit;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks the stored events in id order and recomputes each link from the previous one (or from the signed gap
 * record before it, where retention pruned events), checks each signed checkpoint against the link it pins,
 * and stops at the first link that does not hold. An edited, deleted, inserted or reordered row breaks the
 * link of the row itself or of the next one; a store rewritten with freshly computed links disagrees with the
 * last checkpoint before the edit; a deleted tail leaves a checkpoint pointing past the end.
 */
public final class ChainVerifier {

    static final int BATCH = 1000;
    private final EventChainStore store;
    private final ChainSigner signer;
    private final long maxUnsignedRun;

    /**
     * {@code maxUnsignedRun}: the most events the writer can store without a checkpoint among them (its
     * checkpoint interval plus one write batch, since it checkpoints after a batch); a longer run means
     * checkpoints were deleted.
     */
    public ChainVerifier(EventChainStore store, ChainSigner signer, long maxUnsignedRun) {
        this.store = store;
        this.signer = signer;
        this.maxUnsignedRun = maxUnsignedRun;
    }

    /** Verifies the events after {@code afterId} (0 for all), trusting the stored link just before them. */
    public ChainVerdict verify(long afterId) {
        Map<Long, ChainGap> gaps = store.gaps();
        Map<Long, ChainCheckpoint> checkpoints = store.checkpoints();
        byte[] previous = afterId > 0 ? store.linkAtOrBefore(afterId).orElse(null) : null;
        long checked = 0;
        long unchained = 0;
        long checkpointsMatched = 0;
        long gapsCrossed = 0;
        long sinceCheckpoint = 0;
        long lastId = afterId;
        for (List<ChainedEvent> batch = store.chained(afterId, BATCH); !batch.isEmpty();
             batch = store.chained(lastId, BATCH)) {
            for (ChainedEvent row : batch) {
                long id = row.event().id();
                lastId = id;
                if (row.link().isEmpty()) {
                    if (previous != null) {
                        return broken(id, "event " + id + " has lost its link (it follows chained events)", checked,
                                unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint);
                    }
                    unchained++;
                    continue;
                }
                ChainGap gap = gaps.get(id);
                byte[] expectedPrevious;
                if (gap != null) {
                    if (!signer.verify(EventChain.gapMessage(id, gap.previousLink()), gap.signature())) {
                        return broken(id, "the gap record before event " + id + " is not signed by this instance's"
                                + " audit key", checked, unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint);
                    }
                    expectedPrevious = gap.previousLink();
                    gapsCrossed++;
                    sinceCheckpoint = 0; // a signed gap record vouches for the link as a checkpoint does
                } else {
                    expectedPrevious = previous == null ? EventChain.GENESIS : previous;
                }
                byte[] link = row.link().get();
                if (!Arrays.equals(EventChain.link(expectedPrevious, row.event()), link)) {
                    return broken(id, "event " + id + " does not follow the event before it: it, or the event"
                            + " before it, was edited, deleted, inserted or reordered", checked, unchained,
                            checkpointsMatched, gapsCrossed, sinceCheckpoint);
                }
                checked++;
                sinceCheckpoint++;
                ChainCheckpoint checkpoint = checkpoints.get(id);
                if (checkpoint != null) {
                    if (!signer.verify(EventChain.checkpointMessage(id, checkpoint.link()), checkpoint.signature())) {
                        return broken(id, "the checkpoint at event " + id + " is not signed by this instance's audit"
                                + " key", checked, unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint);
                    }
                    if (!Arrays.equals(checkpoint.link(), link)) {
                        return broken(id, "event " + id + " no longer matches the checkpoint signed at "
                                + checkpoint.created() + " (the chain was rewritten up to here)", checked, unchained,
                                checkpointsMatched, gapsCrossed, sinceCheckpoint);
                    }
                    checkpointsMatched++;
                    sinceCheckpoint = 0;
                }
                if (sinceCheckpoint > maxUnsignedRun) {
                    return broken(id, "no checkpoint signs the " + sinceCheckpoint + " events up to event " + id
                            + " (there is one at least every " + maxUnsignedRun + "): checkpoints were deleted",
                            checked, unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint);
                }
                previous = link;
            }
        }
        long end = lastId;
        Optional<Long> pastEnd = checkpoints.keySet().stream().filter(id -> id > end).min(Long::compare);
        if (pastEnd.isPresent()) {
            return broken(pastEnd.get(), "event " + pastEnd.get() + ", signed in a checkpoint, is missing: the newest"
                    + " events were deleted", checked, unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint);
        }
        return new ChainVerdict(checked, unchained, checkpointsMatched, gapsCrossed, sinceCheckpoint, Optional.empty(), "");
    }

    private static ChainVerdict broken(long id, String reason, long checked, long unchained, long checkpoints,
                                       long gaps, long sinceCheckpoint) {
        return new ChainVerdict(checked, unchained, checkpoints, gaps, sinceCheckpoint, Optional.of(id), reason);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
