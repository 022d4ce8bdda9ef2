package io.palisade.gateway;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the device port: TLS 1.3/1.2, ECDHE + AEAD only, a client certificate required and
 * validated (chain and validity) against the Palisade CAs during the handshake. Revocation and
 * device state are checked right after the handshake against the registry, which is the source the
 * CRL is made from, so a revocation applies to the next handshake without waiting for a CRL refresh.
 */
public final class DeviceTls {

    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    private DeviceTls() {
    }

    /**
     * @param caCertificates issuing and root CA: both are trust anchors, so a device that sends only its
     *                       own certificate (as most MQTT clients do) still validates
     */
    public static SslContext serverContext(PrivateKey key, List<X509Certificate> chain,
                                           List<X509Certificate> caCertificates) throws SSLException {
        return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trustManagers(caCertificates))
                .build();
    }

    static TrustManagerFactory trustManagers(List<X509Certificate> anchors) throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("palisade-ca-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new SSLException("cannot build the device trust store", e);
        }
    }
}
