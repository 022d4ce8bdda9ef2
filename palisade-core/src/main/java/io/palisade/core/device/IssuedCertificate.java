package io.palisade.core.device;

import java.time.Instant;
import java.util.Optional;

/**
 * What the control plane remembers about a certificate it issued: enough to revoke it and to
 * publish a CRL, without keeping the certificate itself.
 *
 * @param serial hexadecimal serial number, lower case, no leading zeros
 * @param reason why it was revoked (UNSPECIFIED while it is not, and for revocations stored before reasons were)
 */
public record IssuedCertificate(String serial, DeviceId device, Instant notBefore, Instant notAfter,
                                Optional<Instant> revokedAt, RevocationReason reason) {

    public IssuedCertificate {
        java.util.Objects.requireNonNull(reason, "reason");
    }

    /** A certificate not revoked, or revoked without a recorded reason. */
    public IssuedCertificate(String serial, DeviceId device, Instant notBefore, Instant notAfter,
                             Optional<Instant> revokedAt) {
        this(serial, device, notBefore, notAfter, revokedAt, RevocationReason.UNSPECIFIED);
    }

    /** valid, expired or revoked, at {@code now}. */
    public String state(Instant now) {
        return isRevoked() ? "revoked" : now.isBefore(notAfter) ? "valid" : "expired";
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
