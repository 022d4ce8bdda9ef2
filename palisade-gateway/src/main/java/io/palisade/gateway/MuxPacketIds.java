package io.palisade.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * The packet ids of one {@link UpstreamMux} connection and what each is in flight for: a device's publish, a
 * filter's SUBSCRIBE or an UNSUBSCRIBE. Publishes and subscriptions draw from the one space MQTT gives a
 * connection, so one map says which answer belongs to which.
 */
final class MuxPacketIds {

    static final int MAX = 0xFFFF;

    private final Map<Integer, Object> inFlight = new HashMap<>();
    private int last;

    /** A free id, now in flight for {@code use}. The caller checks {@link #full()} first. */
    int take(Object use) {
        do {
            last = last == MAX ? 1 : last + 1;
        } while (inFlight.containsKey(last));
        inFlight.put(last, use);
        return last;
    }

    Object get(int packetId) {
        return inFlight.get(packetId);
    }

    /** The id is answered: free again. Returns what it was in flight for, or null. */
    Object release(int packetId) {
        return inFlight.remove(packetId);
    }

    boolean full() {
        return inFlight.size() >= MAX;
    }
}
