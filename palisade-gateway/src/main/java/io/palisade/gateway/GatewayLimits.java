package io.palisade.gateway;

import java.time.Duration;

/**
 * Every limit of the gateway, with defaults sized for constrained devices behind one gateway box.
 *
 * @param maxPacketBytes           largest MQTT packet a device may send
 * @param messagesPerSecond        sustained PUBLISH rate per device
 * @param messageBurst             PUBLISH burst per device
 * @param bytesPerSecond           sustained PUBLISH payload bytes per device
 * @param maxThrottle              a device further behind its quota than this is disconnected
 * @param maxSubscriptions         topic filters one session may hold
 * @param maxInflight              QoS 1/2 publishes a device may have unacknowledged
 * @param connectsPerSecondPerAddress sustained connection attempts per source address
 * @param maxConnectionsPerAddress concurrent connections per source address
 * @param maxConnections           concurrent device connections in total
 * @param connectTimeout           time from TCP accept to a complete CONNECT
 * @param maxKeepAlive             keep-alive granted at most (longer requests are capped)
 */
public record GatewayLimits(int maxPacketBytes, double messagesPerSecond, double messageBurst, double bytesPerSecond,
                            Duration maxThrottle, int maxSubscriptions, int maxInflight,
                            double connectsPerSecondPerAddress, int maxConnectionsPerAddress, int maxConnections,
                            Duration connectTimeout, Duration maxKeepAlive) {

    public GatewayLimits {
        positive("maxPacketBytes", maxPacketBytes);
        positive("messagesPerSecond", messagesPerSecond);
        positive("messageBurst", messageBurst);
        positive("bytesPerSecond", bytesPerSecond);
        positive("maxSubscriptions", maxSubscriptions);
        positive("maxInflight", maxInflight);
        positive("connectsPerSecondPerAddress", connectsPerSecondPerAddress);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("maxConnections", maxConnections);
        if (maxThrottle.isNegative() || connectTimeout.isZero() || connectTimeout.isNegative()
                || maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
            throw new IllegalArgumentException("gateway limits: max-throttle must be >= 0, connect-timeout > 0 and"
                    + " max-keep-alive between 1 and 65535 s");
        }
        if (maxInflight > 65_535) {
            throw new IllegalArgumentException("maxInflight must be at most 65535 (MQTT packet ids), got " + maxInflight);
        }
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(256 * 1024, 100, 200, 1024 * 1024, Duration.ofSeconds(5), 100, 64, 20, 1000,
                50_000, Duration.ofSeconds(10), Duration.ofMinutes(20));
    }

    public GatewayLimits withMessageRate(double perSecond, double burst) {
        return new GatewayLimits(maxPacketBytes, perSecond, burst, bytesPerSecond, maxThrottle, maxSubscriptions,
                maxInflight, connectsPerSecondPerAddress, maxConnectionsPerAddress, maxConnections, connectTimeout,
                maxKeepAlive);
    }

    public GatewayLimits withConnectionLimits(double connectsPerSecond, int perAddress, int total) {
        return new GatewayLimits(maxPacketBytes, messagesPerSecond, messageBurst, bytesPerSecond, maxThrottle,
                maxSubscriptions, maxInflight, connectsPerSecond, perAddress, total, connectTimeout, maxKeepAlive);
    }

    public GatewayLimits withSessionLimits(int packetBytes, int subscriptions, int inflight) {
        return new GatewayLimits(packetBytes, messagesPerSecond, messageBurst, bytesPerSecond, maxThrottle,
                subscriptions, inflight, connectsPerSecondPerAddress, maxConnectionsPerAddress, maxConnections,
                connectTimeout, maxKeepAlive);
    }

    /** The keys {@link #with} understands, as operators write them in {@code --limit KEY=VALUE}. */
    public static final java.util.List<String> KEYS = java.util.List.of("max-packet-bytes", "messages-per-second",
            "message-burst", "bytes-per-second", "max-throttle-seconds", "max-subscriptions", "max-inflight",
            "connects-per-second-per-address", "max-connections-per-address", "max-connections",
            "connect-timeout-seconds", "max-keep-alive-seconds");

    /** A copy with one limit changed; fails with a sentence naming the key when key or value is bad. */
    public GatewayLimits with(String key, String value) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit " + key + " needs a number, got '" + value + "'");
        }
        int whole = (int) Math.min(Integer.MAX_VALUE, number);
        return switch (key) {
            case "max-packet-bytes" -> new GatewayLimits(whole, messagesPerSecond, messageBurst, bytesPerSecond,
                    maxThrottle, maxSubscriptions, maxInflight, connectsPerSecondPerAddress, maxConnectionsPerAddress,
                    maxConnections, connectTimeout, maxKeepAlive);
            case "messages-per-second" -> withMessageRate(number, messageBurst);
            case "message-burst" -> withMessageRate(messagesPerSecond, number);
            case "bytes-per-second" -> new GatewayLimits(maxPacketBytes, messagesPerSecond, messageBurst, number,
                    maxThrottle, maxSubscriptions, maxInflight, connectsPerSecondPerAddress, maxConnectionsPerAddress,
                    maxConnections, connectTimeout, maxKeepAlive);
            case "max-throttle-seconds" -> new GatewayLimits(maxPacketBytes, messagesPerSecond, messageBurst,
                    bytesPerSecond, Duration.ofMillis((long) (number * 1000)), maxSubscriptions, maxInflight,
                    connectsPerSecondPerAddress, maxConnectionsPerAddress, maxConnections, connectTimeout, maxKeepAlive);
            case "max-subscriptions" -> withSessionLimits(maxPacketBytes, whole, maxInflight);
            case "max-inflight" -> withSessionLimits(maxPacketBytes, maxSubscriptions, whole);
            case "connects-per-second-per-address" -> withConnectionLimits(number, maxConnectionsPerAddress,
                    maxConnections);
            case "max-connections-per-address" -> withConnectionLimits(connectsPerSecondPerAddress, whole,
                    maxConnections);
            case "max-connections" -> withConnectionLimits(connectsPerSecondPerAddress, maxConnectionsPerAddress, whole);
            case "connect-timeout-seconds" -> new GatewayLimits(maxPacketBytes, messagesPerSecond, messageBurst,
                    bytesPerSecond, maxThrottle, maxSubscriptions, maxInflight, connectsPerSecondPerAddress,
                    maxConnectionsPerAddress, maxConnections, Duration.ofSeconds(whole), maxKeepAlive);
            case "max-keep-alive-seconds" -> new GatewayLimits(maxPacketBytes, messagesPerSecond, messageBurst,
                    bytesPerSecond, maxThrottle, maxSubscriptions, maxInflight, connectsPerSecondPerAddress,
                    maxConnectionsPerAddress, maxConnections, connectTimeout, Duration.ofSeconds(whole));
            default -> throw new IllegalArgumentException("unknown limit '" + key + "'; known limits: "
                    + String.join(", ", KEYS));
        };
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("gateway limit " + name + " must be positive, got " + value);
        }
    }
}
