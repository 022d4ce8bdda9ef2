package io.palisade.detect;

import java.time.Instant;

/** A quarantine the response policy proposed and an operator has yet to approve or dismiss. */
public record PendingResponse(String id, Instant created, String device, String rule, String reason, String alertId) {
}
