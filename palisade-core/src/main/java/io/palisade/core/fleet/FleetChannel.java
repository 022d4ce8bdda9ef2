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

    /**
     * This channel, but messages reach {@code subscribe}'s handlers only while this instance holds {@code duty}:
     * for device reports that must be handled once among several instances sharing the broker (each instance
     * hears every report; the duty's holder acts on it). Sending is unchanged.
     */
    default FleetChannel handledOnlyWhile(io.palisade.core.cluster.Duty duty) {
        FleetChannel channel = this;
        return new FleetChannel() {
            @Override
            public void publish(String topic, byte[] payload, boolean retained) {
                channel.publish(topic, payload, retained);
            }

            @Override
            public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
                channel.subscribe(filter, (topic, payload) -> {
                    if (duty.held()) {
                        handler.accept(topic, payload);
                    }
                });
            }

            @Override
            public boolean available() {
                return channel.available();
            }
        };
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
