package io.palisade.control.http;

import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Refusal;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.est.CertsOnly;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** EST (RFC 7030) under {@code /.well-known/est/}: cacerts, simpleenroll, simplereenroll. */
public final class EstRoutes {

    public static final String PREFIX = "/.well-known/est/";
    private static final String REALM = "Basic realm=\"palisade-est\", charset=\"UTF-8\"";

    private final EnrollmentService enrollment;

    public EstRoutes(EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    public void register(Router router) {
        router.add("GET", PREFIX + "cacerts", (call, p) -> certsOnly(enrollment.caCertificates()), HttpReply::text);
        router.add("POST", PREFIX + "simpleenroll", (call, p) -> simpleEnroll(call), HttpReply::text);
        router.add("POST", PREFIX + "simplereenroll", (call, p) -> {
            requirePkcs10(call);
            return certsOnly(List.of(enrollment.reenroll(call.remoteAddress(), call.clientCertificates(),
                    call.body())));
        }, HttpReply::text);
    }

    /**
     * RFC 7030 §4.2.1: the request body is a PKCS#10 request of type application/pkcs10. A request that
     * declares another type (JSON, a form) is refused; one that declares none is read as PKCS#10.
     */
    private static void requirePkcs10(HttpCall call) throws Refusal {
        if (call.header("content-type").isEmpty()) {
            return;
        }
        String type = call.header("content-type").get();
        int parameters = type.indexOf(';');
        String mediaType = (parameters < 0 ? type : type.substring(0, parameters)).strip();
        if (!mediaType.equalsIgnoreCase("application/pkcs10")) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE, "EST enrollment needs Content-Type:"
                    + " application/pkcs10 (a base64 PKCS#10 request), got '" + (type.isEmpty() ? "none" : type) + "'");
        }
    }

    private HttpReply simpleEnroll(HttpCall call) throws Refusal {
        requirePkcs10(call);
        Optional<String[]> credentials = call.header("authorization").flatMap(EstRoutes::basicCredentials);
        Optional<String> user = credentials.map(c -> c[0]);
        try (SecretBytes password = SecretBytes.wrap(credentials.map(c -> c[1]).orElse("")
                .getBytes(StandardCharsets.UTF_8))) {
            X509Certificate certificate = enrollment.enroll(call.remoteAddress(), user,
                    credentials.isPresent() ? Optional.of(password) : Optional.empty(), call.body());
            return certsOnly(List.of(certificate));
        } catch (Refusal refusal) {
            if (refusal.kind() == Refusal.Kind.UNAUTHENTICATED) {
                return HttpReply.text(401, refusal.getMessage()).withHeader("WWW-Authenticate", REALM);
            }
            throw refusal;
        }
    }

    private static HttpReply certsOnly(List<X509Certificate> certificates) {
        return HttpReply.bytes(200, CertsOnly.CONTENT_TYPE,
                        CertsOnly.encode(certificates).getBytes(StandardCharsets.US_ASCII))
                .withHeader("Content-Transfer-Encoding", "base64");
    }

    /** Splits {@code Basic base64(user:password)}; empty when the header is not well-formed Basic. */
    static Optional<String[]> basicCredentials(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
