package io.palisade.control.siem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A syslog receiver: {@code syslog+tls://HOST:PORT} (RFC 5425, default port 6514), {@code syslog+tcp://HOST:PORT}
 * (RFC 6587 octet counting, default 601) or {@code syslog+udp://HOST:PORT} (RFC 5426, default 514).
 */
public record SyslogAddress(Transport transport, String host, int port) {

    /** How records travel. */
    public enum Transport { TLS, TCP, UDP }

    public static SyslogAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no syslog URL; use syslog+tls://HOST:PORT, syslog+tcp://HOST:PORT"
                    + " or syslog+udp://HOST:PORT");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport transport;
        int defaultPort;
        switch (scheme) {
            case "syslog+tls" -> { transport = Transport.TLS; defaultPort = 6514; }
            case "syslog+tcp" -> { transport = Transport.TCP; defaultPort = 601; }
            case "syslog+udp" -> { transport = Transport.UDP; defaultPort = 514; }
            default -> throw new IllegalArgumentException("unknown syslog scheme in '" + url
                    + "'; use syslog+tls://HOST:PORT, syslog+tcp://HOST:PORT or syslog+udp://HOST:PORT");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host in '" + url + "'");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("a syslog URL is only scheme://HOST:PORT, got '" + url + "'");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new SyslogAddress(transport, host, uri.getPort() < 0 ? defaultPort : uri.getPort());
    }

    @Override
    public String toString() {
        return "syslog+" + transport.name().toLowerCase(Locale.ROOT) + "://" + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + port;
    }
}
