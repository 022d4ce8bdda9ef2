package io.palisade.core.audit;

import java.time.Instant;

/** A signed statement that event {@code eventId}'s link is {@code link}. */
public record ChainCheckpoint(long eventId, byte[] link, Instant created, byte[] signature) {
}
