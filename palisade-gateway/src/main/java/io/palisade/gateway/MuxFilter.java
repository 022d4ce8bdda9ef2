package io.palisade.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One topic filter the {@link UpstreamMux} is subscribed to upstream, and the sessions that share it. The
 * subscription carries an MQTT 5 Subscription Identifier of its own, so a message the broker sends for it
 * says so, and goes to exactly these sessions, even where filters overlap.
 */
final class MuxFilter {

    /** One session's part: the QoS it was granted, and until when a retained message may be for it. */
    static final class Share {
        int qos;
        /** Retained messages arrive for a new SUBSCRIBE: only sessions that subscribed just now take them. */
        long retainedUntilNanos = Long.MAX_VALUE;
        /** The device's own Subscription Identifier for this filter (MQTT 5), or 0. */
        int deviceSubscriptionId;
    }

    final String filter;
    final int subscriptionId;
    final Map<MuxedSession, Share> shares = new LinkedHashMap<>();
    /** The QoS of the subscription upstream: the highest any session was granted. */
    int upstreamQos = -1;

    MuxFilter(String filter, int subscriptionId) {
        this.filter = filter;
        this.subscriptionId = subscriptionId;
    }

    int highestQos() {
        int highest = 0;
        for (Share share : shares.values()) {
            highest = Math.max(highest, share.qos);
        }
        return highest;
    }
}
