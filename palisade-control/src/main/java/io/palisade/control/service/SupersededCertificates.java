package io.palisade.control.service;

import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Revokes certificates that a newer one of the same device replaced more than a grace period ago. A
 * device keeps using its old certificate until it has reconnected with the new one (renewal happens at
 * 2/3 of the lifetime, so there is time); after the grace the old key is worth nothing to whoever copied
 * it. Each revocation is a {@code cert.revoked} event and reaches the CRL at once.
 */
public final class SupersededCertificates implements Runnable {

    private static final System.Logger LOG = System.getLogger(SupersededCertificates.class.getName());

    private final DeviceRegistry registry;
    private final CrlService crl;
    private final Events events;
    private final Clock clock;
    private final Duration grace;

    public SupersededCertificates(DeviceRegistry registry, CrlService crl, Events events, Clock clock, Duration grace) {
        this.registry = registry;
        this.crl = crl;
        this.events = events;
        this.clock = clock;
        this.grace = grace;
    }

    /** Revokes what is due now and returns it. */
    public List<IssuedCertificate> sweep() {
        Instant now = clock.instant();
        List<IssuedCertificate> revoked = registry.revokeSuperseded(now.minus(grace), now);
        for (IssuedCertificate certificate : revoked) {
            events.emit(events.event(EventType.CERT_REVOKED, Severity.INFO, certificate.device(), "palisade",
                            "certificate serial " + certificate.serial() + " of device " + certificate.device()
                                    + " revoked: superseded by a newer certificate more than " + grace + " ago")
                    .withDetail("serial", certificate.serial()).withDetail("reason", "superseded"));
        }
        if (!revoked.isEmpty()) {
            crl.invalidate();
        }
        return revoked;
    }

    /** A scheduled sweep: a failure (the store unavailable) is logged and the next sweep tries again. */
    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "revoking superseded certificates failed; retrying later: " + e);
        }
    }
}
