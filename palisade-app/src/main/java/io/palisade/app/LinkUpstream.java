package io.palisade.app;

import io.palisade.gateway.BrokerLink;
import io.palisade.radio.BrokerUpstream;
import java.util.function.BiConsumer;

/** A radio listener's view of its broker link: publishes at QoS 1 without retain, subscriptions as the link makes them. */
final class LinkUpstream implements BrokerUpstream {

    private final BrokerLink link;

    LinkUpstream(BrokerLink link) {
        this.link = link;
    }

    @Override
    public boolean isConnected() {
        return link.isConnected();
    }

    @Override
    public void publish(String topic, byte[] payload) {
        link.publish(topic, payload, false);
    }

    @Override
    public void subscribe(String topic, BiConsumer<String, byte[]> handler) {
        link.subscribe(topic, handler);
    }
}
