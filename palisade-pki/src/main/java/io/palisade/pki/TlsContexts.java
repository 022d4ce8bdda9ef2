package io.palisade.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s for Palisade's own clients (CLI, EST client): trust only the given anchors,
 * optionally present a client certificate, TLS 1.3/1.2 only. Host names are verified by the
 * HTTP client's endpoint identification, which these contexts leave on.
 */
public final class TlsContexts {

    public static final List<String> PROTOCOLS = TlsPolicy.PROTOCOLS;

    private TlsContexts() {
    }

    /** A client identity: a private key and its certificate chain, end entity first. */
    public record ClientIdentity(PrivateKey key, List<X509Certificate> chain) {
    }

    public static SSLContext client(List<X509Certificate> trustAnchors, Optional<ClientIdentity> identity) {
        return context(TlsPolicy.trustOnly(trustAnchors), identity);
    }

    /**
     * For a link to a third party (a SIEM, a webhook): trust {@code trustAnchors}, or the JVM's CAs when none are
     * given; present {@code identity} when the receiver asks for a client certificate.
     */
    public static SSLContext outbound(List<X509Certificate> trustAnchors, Optional<ClientIdentity> identity) {
        return context(TlsPolicy.trust(trustAnchors), identity);
    }

    private static SSLContext context(TrustManagerFactory tmf, Optional<ClientIdentity> identity) {
        try {
            KeyManagerFactory kmf = null;
            if (identity.isPresent() && identity.get().key().getEncoded() == null) {
                // A key in hardware: no key store can hold it.
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new javax.net.ssl.KeyManager[]{new SingleIdentityKeyManager(identity.get())},
                        tmf.getTrustManagers(), null);
                return context;
            }
            if (identity.isPresent()) {
                char[] transientPassword = "transient".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", identity.get().key(), transientPassword,
                        identity.get().chain().toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, transientPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build TLS client context", e);
        }
    }

    public static SSLParameters clientParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(TlsPolicy.CLIENT_CIPHERS.toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }
}
