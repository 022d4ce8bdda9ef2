package io.palisade.core.event;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import java.nio.ByteBuffer;

/**
 * Sees the traffic the gateway lets through: every PUBLISH a device sent, the subscriptions it was
 * granted, the messages delivered to it and the end of its connections. This is the traffic half of
 * what detection learns from (the other half is the security events). Called on I/O threads, once per
 * packet, so implementations must be cheap and never block.
 */
@FunctionalInterface
public interface TrafficObserver {

    /**
     * A PUBLISH the gateway forwarded; {@code payload} is a view of the message valid only during the call,
     * to be read, never written (it is not copied: this runs per packet).
     */
    void published(DeviceId device, String topic, ByteBuffer payload);

    /**
     * A device authenticated on a new connection, with its registry entry as the gateway already holds
     * it: observers learn what they need of it (its profile, its segment) here, on the I/O thread, instead
     * of looking it up in the store later on the per-packet path.
     */
    default void connected(Device device) {
    }

    /** A subscription the gateway forwarded to the broker. */
    default void subscribed(DeviceId device, String filter) {
    }

    /** A message delivered to the device. */
    default void delivered(DeviceId device, int payloadBytes) {
    }

    /**
     * The gateway throttled the device for {@code pauseNanos} (it stopped reading from it) because it
     * publishes faster than its quota. Called for every pause; the matching event is rate-limited.
     */
    default void throttled(DeviceId device, long pauseNanos) {
    }

    /**
     * A connection from {@code address} failed authentication (TLS handshake). Called for every failure;
     * the matching {@code auth.failed} event is rate-limited per address.
     */
    default void handshakeFailed(String address) {
    }

    /**
     * Allowed traffic of a client known only by its address (a legacy Modbus master has no certificate): the same as
     * {@link #published} for a device, learned about the address.
     */
    default void publishedFrom(String address, String topic, ByteBuffer payload) {
    }

    /** The device's connection closed, for whatever reason. */
    default void disconnected(DeviceId device) {
    }

    TrafficObserver NONE = (device, topic, payload) -> { };
}
