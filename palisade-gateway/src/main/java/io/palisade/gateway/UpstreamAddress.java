package io.palisade.gateway;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The broker behind the gateway: {@code mqtt://[USER[:PASSWORD]@]HOST[:PORT]} (plain, default port
 * 1883) or {@code mqtts://...} (TLS with host name verification, default port 8883). The credentials
 * are the gateway's own; device-supplied passwords never reach the broker. The password is kept out
 * of {@link #toString()}.
 */
public record UpstreamAddress(String host, int port, boolean tls, Optional<String> username,
                              Optional<String> password, List<X509Certificate> trustAnchors) {

    public UpstreamAddress {
        trustAnchors = List.copyOf(trustAnchors);
    }

    /**
     * The same address, trusting only {@code anchors} for the broker's certificate (for a private CA);
     * without it, {@code mqtts://} trusts the JVM's default CA certificates.
     */
    public UpstreamAddress withTrustAnchors(List<X509Certificate> anchors) {
        return new UpstreamAddress(host, port, tls, username, password, anchors);
    }

    public static UpstreamAddress parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--upstream '" + redact(text) + "' is not a URL: use mqtt://HOST:PORT"
                    + " or mqtts://HOST:PORT");
        }
        boolean tls = switch (String.valueOf(uri.getScheme())) {
            case "mqtt", "tcp" -> false;
            case "mqtts", "ssl", "tls" -> true;
            default -> throw new IllegalArgumentException("--upstream must start with mqtt:// or mqtts://, got '"
                    + redact(text) + "'");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--upstream '" + redact(text) + "' names no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            if (parts.length == 2) {
                password = Optional.of(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return new UpstreamAddress(uri.getHost(), port, tls, user, password, List.of());
    }

    /** The address for logs, without the password. */
    @Override
    public String toString() {
        return (tls ? "mqtts://" : "mqtt://") + username.map(u -> u + "@").orElse("") + host + ":" + port;
    }

    private static String redact(String text) {
        return text.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }
}
