package io.palisade.radio.coap;

/** Where allowed publishes go: the broker behind Palisade (in the app, a broker link of the CoAP listener's own). */
public interface CoapUpstream {

    boolean isConnected();

    void publish(String topic, byte[] payload);
}
