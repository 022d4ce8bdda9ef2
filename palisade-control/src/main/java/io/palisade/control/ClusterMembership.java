package io.palisade.control;

import io.palisade.core.cluster.SharedEventLog;
import io.palisade.core.cluster.StateChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * How a control plane stands among others: alone ({@link #SINGLE}), or one of several sharing a store and a bus,
 * with the channel their notices travel on, its name among them, and the event log they share (without one, each
 * instance writes its events to the store itself).
 */
public record ClusterMembership(StateChannel channel, String instance, Optional<SharedEventLog> events) {

    public static final ClusterMembership SINGLE = new ClusterMembership(StateChannel.NONE, "local", Optional.empty());

    public ClusterMembership {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(events, "events");
    }

    public boolean clustered() {
        return channel != StateChannel.NONE;
    }
}
