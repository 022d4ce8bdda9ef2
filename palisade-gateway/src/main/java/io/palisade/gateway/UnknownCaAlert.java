package io.palisade.gateway;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Makes a client certificate from a foreign CA end the handshake with the TLS alert {@code unknown_ca},
 * which tells the device's operator what is wrong, instead of {@code internal_error}: BoringSSL picks
 * the alert from the verification error code, and the JDK's trust manager reports a missing issuer as a
 * plain {@link CertificateException}, which Netty maps to "unspecified". Every other failure (expiry,
 * a broken signature) keeps its own code.
 */
final class UnknownCaAlert extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    private UnknownCaAlert(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** The factory's X.509 trust manager, wrapped. */
    static TrustManager wrap(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return new UnknownCaAlert(x509);
            }
        }
        throw new IllegalStateException("the trust manager factory has no X.509 trust manager");
    }

    private static CertificateException translated(CertificateException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException) {
                OpenSslCertificateException unknownCa = new OpenSslCertificateException(
                        "the client certificate was not issued by a Palisade CA",
                        CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
                unknownCa.initCause(e);
                return unknownCa;
            }
        }
        return e;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw translated(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw translated(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw translated(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
