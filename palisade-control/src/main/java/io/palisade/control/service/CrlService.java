package io.palisade.control.service;

import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.pki.ca.CertificateAuthority;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Serves the current CRL, signing a new one when a revocation happened or the cached one is older
 * than {@link #REFRESH}, so that fetching the CRL costs no signature per request.
 */
public final class CrlService implements DeviceChangeListener {

    static final Duration REFRESH = Duration.ofMinutes(10);

    private final CertificateAuthority ca;
    private final DeviceRegistry registry;
    private final Clock clock;
    private byte[] cached;
    private Instant cachedAt = Instant.MIN;
    private long lastNumber;

    public CrlService(CertificateAuthority ca, DeviceRegistry registry, Clock clock) {
        this.ca = ca;
        this.registry = registry;
        this.clock = clock;
    }

    /** The DER encoding of a current CRL. */
    public synchronized byte[] currentDer() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(cachedAt.plus(REFRESH))) {
            // CRL numbers must increase (RFC 5280 5.2.3); seconds since the epoch do across restarts.
            long number = Math.max(lastNumber + 1, now.getEpochSecond());
            X509CRL crl = ca.crl(registry.revokedUnexpired(now), number);
            try {
                cached = crl.getEncoded();
            } catch (CRLException e) {
                throw new IllegalStateException("cannot encode CRL", e);
            }
            cachedAt = now;
            lastNumber = number;
        }
        return cached.clone();
    }

    /** The next request builds the CRL afresh (certificates were revoked one by one). */
    public synchronized void invalidate() {
        cached = null;
    }

    @Override
    public synchronized void deviceChanged(io.palisade.core.device.Device device, Change change) {
        if (change == Change.REVOKED) {
            cached = null;
        }
    }
}
