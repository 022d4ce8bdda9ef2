package io.palisade.pki.ca;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device certificate looks like: its lifetime and where relying parties find the CRL.
 *
 * @param lifetime how long a device certificate is valid; short by default (24 h) so that a stolen
 *                 key is useful only briefly even if revocation is not checked
 * @param crlUrl   written into the CRL distribution points extension when present
 */
public record DeviceCertificateProfile(Duration lifetime, Optional<URI> crlUrl) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    /** Shortest lifetime accepted: renewal at 2/3 of a shorter certificate would hammer the CA. */
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration MAX_LIFETIME = Duration.ofDays(397);
    /** Certificates start this much in the past so that devices with slightly slow clocks accept them. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);

    public DeviceCertificateProfile {
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(crlUrl, "crlUrl");
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("device certificate lifetime must be between " + MIN_LIFETIME
                    + " and " + MAX_LIFETIME + ", got " + lifetime);
        }
    }

    public static DeviceCertificateProfile defaults() {
        return new DeviceCertificateProfile(DEFAULT_LIFETIME, Optional.empty());
    }
}
