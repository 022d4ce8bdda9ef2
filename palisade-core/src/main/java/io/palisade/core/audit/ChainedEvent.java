package io.palisade.core.audit;

import io.palisade.core.event.SecurityEvent;
import java.util.Optional;

/** A stored event with the link stored beside it (none for events stored before the chain existed). */
public record ChainedEvent(SecurityEvent event, Optional<byte[]> link) {
}
