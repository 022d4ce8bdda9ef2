package io.palisade.control.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the HTTPS port: TLS 1.3 and 1.2 only, ECDHE key exchange and AEAD ciphers only,
 * BoringSSL when its native library loads (else the JDK's provider).
 *
 * <p>Client certificates are requested but optional, and the TLS layer accepts any certificate the
 * client proves possession of: EST re-enrollment validates it itself (issuer, expiry, revocation,
 * device state), so that a device with an expired or revoked certificate gets an HTTP answer that
 * says why, and an event is recorded, instead of an opaque handshake failure.
 */
public final class ServerTls {

    /** The policy's server suites: TLS 1.3, then TLS 1.2 ECDHE-ECDSA AEAD (our server key is P-256). */
    public static final List<String> CIPHERS = io.palisade.pki.TlsPolicy.SERVER_CIPHERS;

    private ServerTls() {
    }

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * @param acceptedIssuers the CA names offered in the CertificateRequest, so clients with several
     *                        certificates pick a Palisade one
     */
    public static SslContext forHttps(PrivateKey key, List<X509Certificate> chain,
                                      List<X509Certificate> acceptedIssuers) throws SSLException {
        return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(provider())
                .protocols(io.palisade.pki.TlsPolicy.PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.OPTIONAL)
                .trustManager(new DeferredClientValidation(acceptedIssuers))
                .build();
    }

    /** Accepts any client chain at the TLS layer; see the class comment for why and where validation happens. */
    private static final class DeferredClientValidation implements X509TrustManager {

        private final X509Certificate[] acceptedIssuers;

        DeferredClientValidation(List<X509Certificate> acceptedIssuers) {
            this.acceptedIssuers = acceptedIssuers.toArray(X509Certificate[]::new);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Validated by EnrollmentService for the one route that uses client certificates.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this trust manager only serves the server side");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return acceptedIssuers.clone();
        }
    }
}
