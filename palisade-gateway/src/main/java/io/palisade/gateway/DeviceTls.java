package io.palisade.gateway;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.palisade.pki.TlsPolicy;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * TLS for the device port: TLS 1.3/1.2, ECDHE + AEAD only, a client certificate required and
 * validated (chain and validity) against the Palisade CAs during the handshake. Revocation and
 * device state are checked right after the handshake against the registry, which is the source the
 * CRL is made from, so a revocation applies to the next handshake without waiting for a CRL refresh.
 */
public final class DeviceTls {

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
                .protocols(TlsPolicy.PROTOCOLS)
                .ciphers(TlsPolicy.SERVER_CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(UnknownCaAlert.wrap(TlsPolicy.trustOnly(caCertificates)))
                .build();
    }
}
