package io.palisade.radio;

/**
 * The broker behind Palisade, as the radio listeners use it (in the app, a broker link of each listener's own):
 * allowed publishes go there, and watched topics come from there.
 */
public interface BrokerUpstream {

    boolean isConnected();

    void publish(String topic, byte[] payload);

    /** Subscribes to {@code topic}; {@code handler} gets each message's topic and payload. */
    void subscribe(String topic, java.util.function.BiConsumer<String, byte[]> handler);
}
