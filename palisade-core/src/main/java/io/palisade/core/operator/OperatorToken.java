package io.palisade.core.operator;

import java.time.Instant;
import java.util.Optional;

/**
 * An API token of an operator: only its SHA-256 is stored. Login sessions are tokens too, short-lived.
 *
 * @param id    a short public handle to list and revoke it by
 * @param label what it is for ({@code login}, or the operator's words)
 */
public record OperatorToken(String id, String operator, String hash, String label, Instant created, Instant expires,
                            Optional<Instant> revoked) {

    public boolean validAt(Instant now) {
        return revoked.isEmpty() && now.isBefore(expires);
    }
}
