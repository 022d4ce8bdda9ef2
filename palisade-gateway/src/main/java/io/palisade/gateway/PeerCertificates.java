package io.palisade.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Reads the client certificate chain of a connection; the TLS one is the only one outside tests. */
@FunctionalInterface
interface PeerCertificates {

    List<X509Certificate> of(ChannelHandlerContext ctx);

    PeerCertificates TLS = ctx -> {
        List<X509Certificate> chain = new ArrayList<>();
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return chain;
        }
        try {
            for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // An empty chain is refused by the authenticator.
        }
        return chain;
    };
}
