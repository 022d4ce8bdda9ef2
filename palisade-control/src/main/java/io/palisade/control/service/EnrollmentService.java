package io.palisade.control.service;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.DeviceIdentity;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.est.CertificateRequest;
import io.palisade.pki.est.CsrParser;
import io.palisade.pki.est.CsrRejectedException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server side of EST enrollment (RFC 7030 sections 4.2.1 and 4.2.2).
 *
 * <p>Checks run cheapest first and every refusal leaves state untouched: the one-time token is
 * consumed only in the same transaction that records the new certificate. Messages that would tell
 * an outsider whether a device id exists are the same for "unknown device" and "wrong token";
 * only a caller who presents the right token learns that it was used or expired.
 */
public final class EnrollmentService {

    private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";

    private final CertificateAuthority ca;
    private final DeviceRegistry registry;
    private final Events events;
    private final FailureLimiter limiter;
    private final Clock clock;

    public EnrollmentService(CertificateAuthority ca, DeviceRegistry registry, Events events, FailureLimiter limiter,
                             Clock clock) {
        this.ca = ca;
        this.registry = registry;
        this.events = events;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** The CA certificates a device should trust: issuing CA and root (EST /cacerts). */
    public List<X509Certificate> caCertificates() {
        return ca.chain();
    }

    /**
     * EST simpleenroll: {@code user} and {@code password} come from HTTP Basic authentication;
     * empty when the client sent none.
     */
    public X509Certificate enroll(String source, Optional<String> user, Optional<SecretBytes> password, byte[] csr)
            throws Refusal {
        limiter.checkAllowed(source);
        if (user.isEmpty() || password.isEmpty()) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.LOW, null, source,
                    "enrollment requires HTTP Basic authentication with the device id and its enrollment token");
        }
        if (!DeviceId.isValid(user.get())) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, null, source,
                    "enrollment refused: the user name is not a valid device id");
        }
        DeviceId id = DeviceId.of(user.get());
        Device device = authenticate(id, password.get(), source);
        CertificateRequest request = parseRequest(id, csr, source);
        X509Certificate certificate = ca.issueDevice(id, request.publicKey(), device.role());
        if (!registry.consumeTokenAndRecord(id, clock.instant(), record(id, certificate))) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.HIGH, id, source,
                    "the enrollment token for device " + id + " has already been used");
        }
        issued(device.id(), certificate, source, "enrolled");
        return certificate;
    }

    /** EST simplereenroll: the TLS client certificate chain (leaf first) authenticates the device. */
    public X509Certificate reenroll(String source, List<X509Certificate> clientChain, byte[] csr) throws Refusal {
        limiter.checkAllowed(source);
        if (clientChain.isEmpty()) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.LOW, null, source,
                    "re-enrollment requires the current device certificate as TLS client certificate");
        }
        X509Certificate current = clientChain.get(0);
        DeviceId id = authenticateCertificate(current, source);
        Device device = registry.find(id).orElseThrow(() -> failUnproven(Refusal.Kind.UNAUTHENTICATED,
                Severity.HIGH, id, source, "device " + id + " is not registered"));
        if (device.state() == DeviceState.REVOKED) {
            throw failUnproven(Refusal.Kind.FORBIDDEN, Severity.MEDIUM, id, source,
                    "device " + id + " is revoked and cannot re-enroll");
        }
        CertificateRequest request = parseRequest(id, csr, source);
        X509Certificate certificate = ca.issueDevice(id, request.publicKey(), device.role());
        registry.recordCertificate(record(id, certificate));
        issued(id, certificate, source, "re-enrolled");
        return certificate;
    }

    private Device authenticate(DeviceId id, SecretBytes password, String source) throws Refusal {
        String generic = "the enrollment token is not valid for device " + id;
        Optional<Device> device = registry.find(id);
        Optional<EnrollmentToken> token = device.flatMap(d -> registry.findToken(id));
        if (token.isEmpty() || !OneTimeTokens.matches(token.get().salt(), token.get().hash(), password)) {
            // Anyone can send a wrong token naming any device: it counts against the source, not the device.
            throw failUnproven(Refusal.Kind.UNAUTHENTICATED, Severity.MEDIUM, id, source, generic);
        }
        if (device.get().state() == DeviceState.REVOKED) {
            throw failUnproven(Refusal.Kind.FORBIDDEN, Severity.MEDIUM, id, source,
                    "device " + id + " is revoked and cannot enroll");
        }
        if (token.get().isUsed()) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.HIGH, id, source,
                    "the enrollment token for device " + id + " has already been used");
        }
        if (token.get().isExpired(clock.instant())) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, id, source,
                    "the enrollment token for device " + id + " expired at " + token.get().expiresAt());
        }
        return device.get();
    }

    private DeviceId authenticateCertificate(X509Certificate certificate, String source) throws Refusal {
        if (!ca.issued(certificate)) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.HIGH, null, source,
                    "the client certificate was not issued by this Palisade CA");
        }
        Optional<DeviceId> identity = DeviceIdentity.of(certificate);
        if (identity.isEmpty() || !hasClientAuth(certificate)) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.HIGH, null, source,
                    "the client certificate is not a Palisade device certificate");
        }
        DeviceId id = identity.get();
        Instant now = clock.instant();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, id, source,
                    "the certificate of device " + id + " expired at " + certificate.getNotAfter().toInstant()
                            + "; enroll again with a new token");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw fail(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, id, source,
                    "the certificate of device " + id + " is not valid before " + certificate.getNotBefore().toInstant());
        }
        String serial = CertificateAuthority.serialHex(certificate);
        Optional<IssuedCertificate> known = registry.findCertificate(serial);
        if (known.isEmpty()) {
            throw failUnproven(Refusal.Kind.UNAUTHENTICATED, Severity.HIGH, id, source,
                    "certificate serial " + serial + " is unknown to this Palisade");
        }
        if (known.get().isRevoked()) {
            throw failUnproven(Refusal.Kind.UNAUTHENTICATED, Severity.MEDIUM, id, source,
                    "certificate serial " + serial + " of device " + id + " is revoked");
        }
        return id;
    }

    private CertificateRequest parseRequest(DeviceId id, byte[] csr, String source) throws Refusal {
        CertificateRequest request;
        try {
            request = CsrParser.parse(csr);
        } catch (CsrRejectedException e) {
            Refusal.Kind kind = csr.length > CsrParser.MAX_BODY_BYTES ? Refusal.Kind.TOO_LARGE : Refusal.Kind.MALFORMED;
            throw fail(kind, EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, id, source, e.getMessage());
        }
        if (!request.commonName().map(id.value()::equals).orElse(false)) {
            throw fail(Refusal.Kind.FORBIDDEN, EventType.AUTH_FAILED, Severity.HIGH, id, source,
                    "the request's subject '" + request.subject() + "' does not match device " + id
                            + "; use subject CN=" + id);
        }
        return request;
    }

    private void issued(DeviceId id, X509Certificate certificate, String source, String how) {
        events.emit(events.event(EventType.CERT_ISSUED, Severity.INFO, id, source,
                        "device " + id + " " + how + "; certificate valid until "
                                + certificate.getNotAfter().toInstant())
                .withDetail("serial", CertificateAuthority.serialHex(certificate))
                .withDetail("not_after", certificate.getNotAfter().toInstant().toString()));
    }

    private Refusal fail(Refusal.Kind kind, EventType type, Severity severity, DeviceId id, String source,
                         String message) {
        limiter.recordFailure(source);
        return events.refuse(kind, type, severity, id, source, message);
    }

    /**
     * A refusal of a request that names a device without proving to be it (a wrong token, a revoked or
     * unknown certificate): the event belongs to the source address, and names the device only in its
     * details as {@code claimed_device}, so that nobody can get a device quarantined by failing in its name.
     */
    private Refusal failUnproven(Refusal.Kind kind, Severity severity, DeviceId claimed, String source,
                                 String message) {
        limiter.recordFailure(source);
        events.emit(events.event(EventType.AUTH_FAILED, severity, null, source, message)
                .withDetail("claimed_device", claimed.value()));
        return new Refusal(kind, message);
    }

    private static IssuedCertificate record(DeviceId id, X509Certificate certificate) {
        return new IssuedCertificate(CertificateAuthority.serialHex(certificate), id,
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), Optional.empty());
    }

    private static boolean hasClientAuth(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(CLIENT_AUTH_EKU);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
