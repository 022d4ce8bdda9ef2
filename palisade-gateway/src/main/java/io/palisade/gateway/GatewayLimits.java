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

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("gateway limit " + name + " must be positive, got " + value);
        }
    }
}
