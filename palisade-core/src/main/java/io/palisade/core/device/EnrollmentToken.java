package io.palisade.core.device;

import java.time.Instant;
import java.util.Optional;

/**
 * The stored form of a one-time enrollment token: only a salted hash, never the token itself.
 */
public record EnrollmentToken(DeviceId device, byte[] salt, byte[] hash, Instant expiresAt, Optional<Instant> usedAt) {

    public boolean isUsed() {
        return usedAt.isPresent();
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
