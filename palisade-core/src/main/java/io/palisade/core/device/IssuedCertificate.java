package io.palisade.core.device;

import java.time.Instant;
import java.util.Optional;

/**
 * What the control plane remembers about a certificate it issued: enough to revoke it and to
 * publish a CRL, without keeping the certificate itself.
 *
 * @param serial hexadecimal serial number, lower case, no leading zeros
 */
public record IssuedCertificate(String serial, DeviceId device, Instant notBefore, Instant notAfter,
                                Optional<Instant> revokedAt) {

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
