package io.palisade.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Reads the client certificate chain of a connection; the TLS one is the only one outside tests. */
@FunctionalInterface
interface PeerCertificates {

    List<X509Certificate> of(ChannelHandlerContext ctx);

    /**
     * The chain as decoded copies of the session's certificates. Why copies: the TLS session keeps its
     * certificates for the connection's life and, once one is read, keeps it decoded too (a few KB of
     * names, extensions and keys per idle session, measured with a class histogram); a copy is dropped once
     * the device is identified and the session keeps only the encoded bytes.
     */
    PeerCertificates TLS = ctx -> {
        List<X509Certificate> chain = new ArrayList<>();
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return chain;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate) {
                    chain.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(certificate.getEncoded())));
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // refused by the authenticator
        } catch (CertificateException e) {
            return List.of(); // not decodable after the handshake accepted it: refused all the same
        }
        return chain;
    };
}
