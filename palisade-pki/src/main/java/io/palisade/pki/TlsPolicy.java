package io.palisade.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one TLS policy of Palisade, for every listener and every outbound link (devices, HTTPS, the
 * upstream broker, the control plane's own broker link, the CLI): TLS 1.3 and 1.2 only, ECDHE key
 * exchange and AEAD ciphers only, and trust built from explicit anchors (or the JVM's CAs when none
 * are given). Netty adapters pass {@link #PROTOCOLS} and the cipher lists to their
 * {@code SslContextBuilder}; JDK clients wrap their socket factory with {@link #enforce}.
 */
public final class TlsPolicy {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** What Palisade's listeners accept: their keys are P-256, so TLS 1.2 needs ECDHE-ECDSA suites. */
    public static final List<String> SERVER_CIPHERS = concat(TLS13, List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));

    /** What Palisade offers as a client: also ECDHE-RSA, for brokers whose certificates carry RSA keys. */
    public static final List<String> CLIENT_CIPHERS = concat(SERVER_CIPHERS, List.of(
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));

    private TlsPolicy() {
    }

    /**
     * Trust for an outbound link: exactly {@code anchors}, or the JVM's default CAs when none are given
     * (a public broker). Never for a listener: see {@link #trustOnly}.
     */
    public static TrustManagerFactory trust(List<X509Certificate> anchors) {
        if (!anchors.isEmpty()) {
            return trustOnly(anchors);
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JVM's default trust store", e);
        }
    }

    /** Trust in exactly {@code anchors} and nothing else (an empty list trusts nobody). */
    public static TrustManagerFactory trustOnly(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store from " + anchors.size() + " anchors", e);
        }
    }

    /** A client context trusting {@code anchors} (JVM CAs when empty), without a client certificate. */
    public static SSLContext clientContext(List<X509Certificate> anchors) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust(anchors).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    /** The suites of {@code wanted} that {@code supported} has, in policy order. */
    public static String[] supported(List<String> wanted, String[] supported) {
        List<String> available = Arrays.asList(supported);
        return wanted.stream().filter(available::contains).toArray(String[]::new);
    }

    /** Wraps a JDK socket factory so that every socket it makes speaks only the policy's protocols and suites. */
    public static SSLSocketFactory enforce(SSLSocketFactory factory) {
        return new Enforcing(factory);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static final class Enforcing extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Enforcing(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket police(Socket socket) {
            if (socket instanceof SSLSocket tls) {
                tls.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
                tls.setEnabledCipherSuites(supported(CLIENT_CIPHERS, tls.getSupportedCipherSuites()));
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return supported(CLIENT_CIPHERS, delegate.getSupportedCipherSuites());
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return getDefaultCipherSuites();
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return police(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket() throws IOException {
            return police(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return police(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return police(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return police(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return police(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
