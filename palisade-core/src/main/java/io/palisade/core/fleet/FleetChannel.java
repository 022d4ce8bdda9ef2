package io.palisade.core.fleet;

import java.util.function.BiConsumer;

/**
 * The control plane's own connection to the broker behind the gateway, through which it sends
 * devices notifications and commands and hears their reports. Implementations deliver at least
 * once and keep subscriptions across reconnects.
 */
public interface FleetChannel {

    /** Publishes with QoS 1; a retained message also reaches a device that connects later. */
    void publish(String topic, byte[] payload, boolean retained);

    /** Calls {@code handler} with (topic, payload) for every message matching {@code filter}, on a channel thread. */
    void subscribe(String filter, BiConsumer<String, byte[]> handler);

    /** False for {@link #NONE}: whether this process can reach devices at all. */
    default boolean available() {
        return true;
    }

    /** For a process without a broker connection: sending fails with a message that says so. */
    FleetChannel NONE = new FleetChannel() {
        @Override
        public void publish(String topic, byte[] payload, boolean retained) {
            throw new IllegalStateException("this process has no connection to the MQTT broker to reach devices");
        }

        @Override
        public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
        }

        @Override
        public boolean available() {
            return false;
        }
    };
}
