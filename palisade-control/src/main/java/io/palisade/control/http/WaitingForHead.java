package io.palisade.control.http;

import io.netty.channel.Channel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The HTTPS connections that owe the server a request head (just opened, or idle after a response), oldest
 * first. When the port is full, the oldest of them gives its place to a new connection: a flood of
 * connections that never finish a request then only displaces itself, while a client that sends its
 * request at once (an administrator, remote or not) gets in and is answered. Without this, connections
 * held open from many addresses kept everyone else out until the request-head deadline.
 */
final class WaitingForHead {

    private final Set<Channel> waiting = ConcurrentHashMap.newKeySet();
    /** Arrival order; may hold channels no longer waiting, skipped when polled. */
    private final ConcurrentLinkedQueue<Channel> order = new ConcurrentLinkedQueue<>();

    void waiting(Channel channel) {
        if (waiting.add(channel)) {
            order.add(channel);
        }
    }

    void answered(Channel channel) {
        waiting.remove(channel);
    }

    /** Takes the connection that has waited longest for a request head, if any is still open. */
    Optional<Channel> takeOldest() {
        for (Channel candidate = order.poll(); candidate != null; candidate = order.poll()) {
            if (waiting.remove(candidate) && candidate.isActive()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    int size() {
        return waiting.size();
    }
}
