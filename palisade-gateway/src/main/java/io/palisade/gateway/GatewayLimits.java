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
 * @param connectsPerSecondPerDevice sustained connections per device (after a burst of 10), from any address
 * @param maxTopicAliases          topic aliases an MQTT 5 device may set (0: none; the gateway resolves them)
 */
public record GatewayLimits(int maxPacketBytes, double messagesPerSecond, double messageBurst, double bytesPerSecond,
                            Duration maxThrottle, int maxSubscriptions, int maxInflight,
                            double connectsPerSecondPerAddress, int maxConnectionsPerAddress, int maxConnections,
                            Duration connectTimeout, Duration maxKeepAlive, double connectsPerSecondPerDevice,
                            int maxTopicAliases) {

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
        positive("connectsPerSecondPerDevice", connectsPerSecondPerDevice);
        if (maxThrottle.isNegative() || connectTimeout.isZero() || connectTimeout.isNegative()
                || maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
            throw new IllegalArgumentException("gateway limits: max-throttle must be >= 0, connect-timeout > 0 and"
                    + " max-keep-alive between 1 and 65535 s");
        }
        if (maxTopicAliases < 0 || maxTopicAliases > 65_535) {
            throw new IllegalArgumentException("maxTopicAliases must be between 0 and 65535, got " + maxTopicAliases);
        }
        if (maxInflight > 65_535) {
            throw new IllegalArgumentException("maxInflight must be at most 65535 (MQTT packet ids), got " + maxInflight);
        }
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(256 * 1024, 100, 200, 1024 * 1024, Duration.ofSeconds(5), 100, 64, 20, 1000,
                50_000, Duration.ofSeconds(10), Duration.ofMinutes(20), 1, 10);
    }

    public GatewayLimits withMessageRate(double perSecond, double burst) {
        return with("messages-per-second", perSecond).with("message-burst", burst);
    }

    public GatewayLimits withConnectionLimits(double connectsPerSecond, int perAddress, int total) {
        return with("connects-per-second-per-address", connectsPerSecond)
                .with("max-connections-per-address", perAddress).with("max-connections", total);
    }

    public GatewayLimits withSessionLimits(int packetBytes, int subscriptions, int inflight) {
        return with("max-packet-bytes", packetBytes).with("max-subscriptions", subscriptions)
                .with("max-inflight", inflight);
    }

    /** The keys {@link #with} understands, as operators write them in {@code --limit KEY=VALUE}. */
    public static final java.util.List<String> KEYS = java.util.List.of("max-packet-bytes", "messages-per-second",
            "message-burst", "bytes-per-second", "max-throttle-seconds", "max-subscriptions", "max-inflight",
            "connects-per-second-per-address", "max-connections-per-address", "max-connections",
            "connect-timeout-seconds", "max-keep-alive-seconds", "connects-per-second-per-device", "max-topic-aliases");

    /** A copy with one limit changed; fails with a sentence naming the key when key or value is bad. */
    public GatewayLimits with(String key, String value) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit " + key + " needs a number, got '" + value + "'");
        }
        return with(key, number);
    }

    private GatewayLimits with(String key, double number) {
        int whole = (int) Math.min(Integer.MAX_VALUE, number);
        int packet = maxPacketBytes;
        double rate = messagesPerSecond;
        double burst = messageBurst;
        double bytes = bytesPerSecond;
        Duration throttle = maxThrottle;
        int subscriptions = maxSubscriptions;
        int inflight = maxInflight;
        double connects = connectsPerSecondPerAddress;
        int perAddress = maxConnectionsPerAddress;
        int total = maxConnections;
        Duration timeout = connectTimeout;
        Duration keepAlive = maxKeepAlive;
        double deviceConnects = connectsPerSecondPerDevice;
        int aliases = maxTopicAliases;
        switch (key) {
            case "max-packet-bytes" -> packet = whole;
            case "messages-per-second" -> rate = number;
            case "message-burst" -> burst = number;
            case "bytes-per-second" -> bytes = number;
            case "max-throttle-seconds" -> throttle = Duration.ofMillis((long) (number * 1000));
            case "max-subscriptions" -> subscriptions = whole;
            case "max-inflight" -> inflight = whole;
            case "connects-per-second-per-address" -> connects = number;
            case "max-connections-per-address" -> perAddress = whole;
            case "max-connections" -> total = whole;
            case "connect-timeout-seconds" -> timeout = Duration.ofSeconds(whole);
            case "max-keep-alive-seconds" -> keepAlive = Duration.ofSeconds(whole);
            case "connects-per-second-per-device" -> deviceConnects = number;
            case "max-topic-aliases" -> aliases = whole;
            default -> throw new IllegalArgumentException("unknown limit '" + key + "'; known limits: "
                    + String.join(", ", KEYS));
        }
        return new GatewayLimits(packet, rate, burst, bytes, throttle, subscriptions, inflight, connects, perAddress,
                total, timeout, keepAlive, deviceConnects, aliases);
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("gateway limit " + name + " must be positive, got " + value);
        }
    }
}
