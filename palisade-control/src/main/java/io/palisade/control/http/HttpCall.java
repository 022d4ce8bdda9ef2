package io.palisade.control.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the routes see it, free of Netty types.
 *
 * @param headers            header names in lower case; the last value wins
 * @param clientCertificates the TLS client certificate chain, leaf first; empty when none was sent
 * @param remoteAddress      the peer's IP address as text
 * @param actor              who made it, {@code NAME@ADDRESS}, once authenticated (empty before)
 */
public record HttpCall(String method, String path, Map<String, String> query, Map<String, String> headers,
                       byte[] body, String remoteAddress, List<X509Certificate> clientCertificates, String actor) {

    public HttpCall(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                    String remoteAddress, List<X509Certificate> clientCertificates) {
        this(method, path, query, headers, body, remoteAddress, clientCertificates, "");
    }

    /** This request, made by {@code name}. */
    public HttpCall byActor(String name) {
        return new HttpCall(method, path, query, headers, body, remoteAddress, clientCertificates,
                name + "@" + remoteAddress);
    }

    /** The operator who made it (the actor without its address); empty for the admin token or before authentication. */
    public String operatorName() {
        int at = actor.lastIndexOf('@');
        return at < 0 ? "" : actor.substring(0, at);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }
}
