package io.palisade.radio.coap;

import io.palisade.radio.BrokerUpstream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The topics CoAP devices watch: each is subscribed once on the broker link, at the first GET for it, and its newest
 * message kept for GETs and Observe notifications. At most {@value #MAX_TOPICS} distinct topics (a device cannot make
 * Palisade subscribe to the broker without bound).
 */
final class TopicFeed {

    static final int MAX_TOPICS = 1000;

    private final BrokerUpstream upstream;
    private final Map<String, byte[]> newest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> watched = new ConcurrentHashMap<>();
    private final Consumer<String> onMessage;

    /** {@code onMessage} is told the topic of each message that arrives. */
    TopicFeed(BrokerUpstream upstream, Consumer<String> onMessage) {
        this.upstream = upstream;
        this.onMessage = onMessage;
    }

    /** Watches {@code topic} from now on; false when too many topics are watched already. */
    synchronized boolean watch(String topic) {
        if (watched.containsKey(topic)) {
            return true;
        }
        if (watched.size() >= MAX_TOPICS) {
            return false;
        }
        watched.put(topic, true);
        upstream.subscribe(topic, (arrived, payload) -> {
            newest.put(arrived, payload);
            onMessage.accept(arrived);
        });
        return true;
    }

    /** The newest message on a watched topic since it was first watched. */
    Optional<byte[]> newest(String topic) {
        return Optional.ofNullable(newest.get(topic));
    }
}
