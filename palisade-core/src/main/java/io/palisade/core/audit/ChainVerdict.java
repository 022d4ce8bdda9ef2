package io.palisade.core.audit;

import java.util.Optional;

/**
 * What {@link ChainVerifier} found.
 *
 * @param checked       chained events whose links were recomputed
 * @param unchained     events stored before the chain existed (not covered)
 * @param checkpoints   signed checkpoints that matched
 * @param gaps          signed gap records crossed (runs of pruned events)
 * @param unsignedTail  chained events after the last checkpoint: their links agree, but only a checkpoint
 *                      proves that nobody with write access to the store rewrote them and their links
 * @param brokenAt      the first event whose link does not hold, when one does not
 * @param reason        what is wrong there, in one sentence (empty when intact)
 */
public record ChainVerdict(long checked, long unchained, long checkpoints, long gaps, long unsignedTail,
                           Optional<Long> brokenAt, String reason) {

    public boolean intact() {
        return brokenAt.isEmpty();
    }
}
