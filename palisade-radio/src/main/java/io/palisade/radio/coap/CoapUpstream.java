package io.palisade.radio.coap;

/**
 * The broker behind Palisade, as the CoAP listener uses it (in the app, a broker link of the listener's own): allowed
 * publishes go there, and watched topics come from there.
 */
public interface CoapUpstream {

    boolean isConnected();

    void publish(String topic, byte[] payload);

    /** Subscribes to {@code topic}; {@code handler} gets each message's topic and payload. */
    void subscribe(String topic, java.util.function.BiConsumer<String, byte[]> handler);
}
