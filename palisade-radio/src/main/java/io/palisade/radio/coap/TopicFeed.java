package io.palisade.radio.coap;

import io.palisade.radio.BrokerUpstream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The topics and filters CoAP devices watch: each is subscribed once on the broker link, at the first GET for it, and
 * its newest message kept for GETs and Observe notifications. At most {@value #MAX_TOPICS} distinct topics (a device cannot make
 * Palisade subscribe to the broker without bound).
 */
final class TopicFeed {

    static final int MAX_TOPICS = 1000;

    private final BrokerUpstream upstream;
    /** A message as it arrived: its topic (what a filter matched) and payload. */
    record Message(String topic, byte[] payload) {
    }

    private final Map<String, Message> newest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> watched = new ConcurrentHashMap<>();
    private final Consumer<String> onMessage;

    /** {@code onMessage} is told, for each message that arrives, the watched topic or filter it came under. */
    TopicFeed(BrokerUpstream upstream, Consumer<String> onMessage) {
        this.upstream = upstream;
        this.onMessage = onMessage;
    }

    /** Watches {@code topic} (a topic or a filter) from now on; false when too many are watched already. */
    synchronized boolean watch(String topic) {
        if (watched.containsKey(topic)) {
            return true;
        }
        if (watched.size() >= MAX_TOPICS) {
            return false;
        }
        watched.put(topic, true);
        upstream.subscribe(topic, (arrived, payload) -> {
            newest.put(topic, new Message(arrived, payload));
            onMessage.accept(topic);
        });
        return true;
    }

    /** The newest message on a watched topic, or matching a watched filter, since it was first watched. */
    Optional<Message> newest(String topic) {
        return Optional.ofNullable(newest.get(topic));
    }
}
