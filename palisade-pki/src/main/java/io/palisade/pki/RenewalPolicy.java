package io.palisade.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a device should re-enroll: at two thirds of its certificate's lifetime, so that a device that
 * misses one attempt still has a third of the lifetime (8 h of a 24 h certificate) to retry.
 */
public final class RenewalPolicy {

    private RenewalPolicy() {
    }

    public static Instant renewAt(X509Certificate certificate) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    public static boolean isDue(X509Certificate certificate, Instant now) {
        return !now.isBefore(renewAt(certificate));
    }
}
