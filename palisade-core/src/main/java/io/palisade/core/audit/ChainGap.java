package io.palisade.core.audit;

import java.time.Instant;

/** A signed statement, written when events were pruned, that the link before event {@code nextId} is {@code previousLink}. */
public record ChainGap(long nextId, byte[] previousLink, Instant created, byte[] signature) {
}
