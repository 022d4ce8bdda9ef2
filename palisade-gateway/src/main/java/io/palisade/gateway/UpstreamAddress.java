package io.palisade.gateway;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The broker behind the gateway: {@code mqtt://[USER[:PASSWORD]@]HOST[:PORT][?mqtt=3.1.1]} (plain,
 * default port 1883) or {@code mqtts://...} (TLS with host name verification, default port 8883). The
 * credentials are the gateway's own; device-supplied passwords never reach the broker. The password is
 * kept out of {@link #toString()}. {@code ?mqtt=3.1.1} names a broker that speaks only MQTT 3.1.1: MQTT 5
 * devices are then carried over 3.1.1 ({@link Mqtt5Over311}). {@code ?lanes=qos0} sends the QoS 0 publishes
 * of all devices on one event loop over one shared connection ({@link PublishLane}); options combine with
 * {@code &}. {@code ?mux=1} carries whole sessions of all devices on one event loop over one MQTT 5 connection
 * ({@link UpstreamMux}), so that a session costs one descriptor instead of two.
 */
public record UpstreamAddress(String host, int port, boolean tls, Optional<String> username,
                              Optional<String> password, List<X509Certificate> trustAnchors, boolean speaksMqtt5,
                              boolean qos0Lanes, boolean multiplexed) {

    public UpstreamAddress {
        trustAnchors = List.copyOf(trustAnchors);
    }

    /** A broker that speaks MQTT 3.1.1 and 5. */
    public UpstreamAddress(String host, int port, boolean tls, Optional<String> username, Optional<String> password,
                           List<X509Certificate> trustAnchors) {
        this(host, port, tls, username, password, trustAnchors, true, false, false);
    }

    /** The same address, for a broker that speaks only MQTT 3.1.1. */
    public UpstreamAddress mqtt311Only() {
        return new UpstreamAddress(host, port, tls, username, password, trustAnchors, false, qos0Lanes, multiplexed);
    }

    /**
     * The same address, trusting only {@code anchors} for the broker's certificate (for a private CA);
     * without it, {@code mqtts://} trusts the JVM's default CA certificates.
     */
    public UpstreamAddress withTrustAnchors(List<X509Certificate> anchors) {
        return new UpstreamAddress(host, port, tls, username, password, anchors, speaksMqtt5, qos0Lanes, multiplexed);
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
        boolean mqtt5 = true;
        boolean lanes = false;
        boolean mux = false;
        for (String option : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            switch (option) {
                case "mqtt=3.1.1" -> mqtt5 = false;
                case "mqtt=5" -> mqtt5 = true;
                case "lanes=qos0" -> lanes = true;
                case "mux=1" -> mux = true;
                default -> throw new IllegalArgumentException("--upstream '" + redact(text) + "': unknown option '"
                        + option + "'; the options are mqtt=3.1.1 (a broker that does not speak MQTT 5) and"
                        + " lanes=qos0 (QoS 0 publishes share one connection per event loop) and mux=1 (whole sessions"
                        + " share one MQTT 5 connection per event loop)");
            }
        }
        if (mux && (!mqtt5 || lanes)) {
            throw new IllegalArgumentException("--upstream '" + redact(text) + "': mux=1 needs an MQTT 5 broker (it routes"
                    + " by Subscription Identifier) and already carries QoS 0 publishes; drop "
                    + (mqtt5 ? "lanes=qos0" : "mqtt=3.1.1"));
        }
        return new UpstreamAddress(uri.getHost(), port, tls, user, password, List.of(), mqtt5, lanes, mux);
    }

    /** The address for logs, without the password. */
    @Override
    public String toString() {
        List<String> options = new java.util.ArrayList<>();
        if (!speaksMqtt5) {
            options.add("mqtt=3.1.1");
        }
        if (qos0Lanes) {
            options.add("lanes=qos0");
        }
        if (multiplexed) {
            options.add("mux=1");
        }
        return (tls ? "mqtts://" : "mqtt://") + username.map(u -> u + "@").orElse("") + host + ":" + port
                + (options.isEmpty() ? "" : "?" + String.join("&", options));
    }

    private static String redact(String text) {
        return text.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }
}
