package io.palisade.core.policy;

import io.palisade.core.device.Device;
import java.util.Arrays;

/**
 * The last few access decisions of one session for one action: a device publishes to a handful of
 * topics, and deciding costs a walk over its profile's and segment's rules for every message. A kept
 * decision is used only while the device's standing (the same {@link Device} object: quarantine and
 * release replace it) and the {@link PolicyBook#version()} are what they were when it was made.
 *
 * <p>One per session, used from its thread only: not thread-safe.
 */
public final class RecentDecisions {

    private static final int SIZE = 4;

    private final PolicyBook book;
    private final Action action;
    private final String[] topics = new String[SIZE];
    private final AccessDecision[] decisions = new AccessDecision[SIZE];
    private int next;
    private long version = -1;
    private Device device;

    public RecentDecisions(PolicyBook book, Action action) {
        this.book = book;
        this.action = action;
    }

    public AccessDecision decide(Device current, String topic) {
        // The version is read before deciding: a change racing with this decision moves it, so the next
        // call starts afresh instead of keeping a decision made under the old policy.
        long now = book.version();
        if (now != version || current != device) {
            Arrays.fill(topics, null);
            Arrays.fill(decisions, null);
            version = now;
            device = current;
        }
        for (int i = 0; i < SIZE; i++) {
            if (topic.equals(topics[i])) {
                return decisions[i];
            }
        }
        AccessDecision decision = book.decide(current, action, topic);
        topics[next] = topic;
        decisions[next] = decision;
        next = (next + 1) % SIZE;
        return decision;
    }
}
