package io.palisade.radio.coap;

import io.palisade.radio.BrokerUpstream;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.PreSharedKeys;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.PolicyBook;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * CoAP over DTLS 1.2 for constrained devices. Devices prove themselves with a pre-shared key Palisade issued
 * (identity = device id), a raw public key registered to them (RFC 7250) or their Palisade device certificate (client
 * authentication is wanted, not needed, so all kinds share the port); the server presents Palisade's server certificate. HelloVerifyRequest cookies are on for
 * every handshake, so the port cannot reflect or amplify traffic towards a spoofed address. Only AEAD cipher suites
 * (CCM, CCM_8, GCM) are offered. Limits: {@value #MAX_CONNECTIONS} DTLS sessions, requests of at most
 * {@value #MAX_MESSAGE_BYTES} bytes and bodies (block-wise) of at most {@value #MAX_BODY_BYTES}, each device's
 * publishes and each address's handshakes as {@link CoapLimits} say.
 */
public final class CoapGateway implements AutoCloseable, io.palisade.core.device.DeviceChangeListener {

    public static final int DEFAULT_PORT = 5684;
    public static final int MAX_CONNECTIONS = 10_000;
    public static final int MAX_MESSAGE_BYTES = 1024;
    public static final int MAX_BODY_BYTES = 8192;

    static {
        CoapConfig.register();
        DtlsConfig.register();
    }

    private final CoapServer server;
    private final DTLSConnector connector;
    private final CoapPeers peers;

    private CoapGateway(CoapServer server, DTLSConnector connector, CoapPeers peers) {
        this.server = server;
        this.connector = connector;
        this.peers = peers;
    }

    /** A device quarantined, released or revoked: its next request is decided on its new standing. */
    @Override
    public void deviceChanged(io.palisade.core.device.Device device, Change change) {
        peers.forget(device.id());
    }

    /**
     * Listens on {@code listen} (port 0: a free one).
     *
     * @param serverChain  Palisade's server certificate first, then its CA chain
     * @param trustAnchors the CA that issues device certificates
     */
    public static CoapGateway start(InetSocketAddress listen, PrivateKey serverKey, List<X509Certificate> serverChain,
                                    List<X509Certificate> trustAnchors, DeviceRegistry registry, PreSharedKeys keys,
                                    io.palisade.core.device.DevicePublicKeys publicKeys,
                                    PolicyBook policies, BrokerUpstream upstream, CoapLimits limits,
                                    EventSink events, TrafficObserver traffic, Clock clock) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.WANTED);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, MAX_CONNECTIONS);
        config.setAsList(DtlsConfig.DTLS_CIPHER_SUITES,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256, CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_CCM);
        config.set(CoapConfig.MAX_MESSAGE_SIZE, MAX_MESSAGE_BYTES);
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_BODY_BYTES);

        CoapEvents coapEvents = new CoapEvents(events, clock);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(listen)
                .setAdvancedPskStore(new DevicePskStore(registry, keys))
                .setCertificateIdentityProvider(new SingleCertificateProvider(serverKey,
                        serverChain.toArray(new X509Certificate[0]), CertificateType.X_509,
                        CertificateType.RAW_PUBLIC_KEY))
                // Raw public keys pass the handshake whoever holds them (Scandium's static verifier cannot ask the
                // registry); CoapPeers then finds the device by its key at each request, and refuses the rest.
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(trustAnchors.toArray(new X509Certificate[0])).setTrustAllRPKs()
                        .build())
                .setSessionListener(new HandshakeWatch(coapEvents, new KeyedRateLimiter<>(limits.handshakeBurst(),
                        limits.handshakesPerSecondPerAddress(), MAX_CONNECTIONS, clock)))
                .setLoggingTag("coap")
                .build();
        DTLSConnector connector = new DTLSConnector(dtls);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build());
        CoapPeers peers = new CoapPeers(registry, publicKeys, System::nanoTime);
        server.add(new PublishResource(peers, policies, upstream,
                new KeyedRateLimiter<>(limits.publishBurst(), limits.publishesPerSecond(), MAX_CONNECTIONS, clock),
                coapEvents,
                traffic));
        server.start();
        return new CoapGateway(server, connector, peers);
    }

    public int port() {
        return connector.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop();
        server.destroy();
    }
}
