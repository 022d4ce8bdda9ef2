package io.palisade.detect;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What one subject (device or source address) has been doing, kept as damped counters over two
 * horizons (about ten seconds and about a minute) and a one-hour baseline, plus bounded sets of the
 * networks it came from and the topics it used. Memory per subject is fixed (a few KB at most), so a
 * fleet of any size, or an attacker inventing addresses, cannot grow it without bound.
 * Not thread-safe: {@link Detector} synchronizes on it.
 */
final class DeviceBehaviour {

    static final int MAX_NETWORKS = 16;
    static final int MAX_TOPICS = 256;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    final DampedRate authFailures = new DampedRate(60 * SECOND);
    final DampedRate aclDenied = new DampedRate(60 * SECOND);
    final DampedRate crossDeviceDenied = new DampedRate(60 * SECOND);
    final DampedRate quotaHits = new DampedRate(60 * SECOND);
    final DampedRate violations = new DampedRate(60 * SECOND);
    final DampedRate connects = new DampedRate(60 * SECOND);
    final DampedRate newTopics = new DampedRate(60 * SECOND);
    final DampedRate messagesShort = new DampedRate(10 * SECOND);
    final DampedRate messagesBaseline = new DampedRate(3600 * SECOND);
    final DampedRate bytesShort = new DampedRate(10 * SECOND);
    private double meanPayload;
    private final Set<String> networks = new LinkedHashSet<>();
    private final Set<String> topics = new LinkedHashSet<>();
    final long firstSeenNanos;
    long lastSeenNanos;

    DeviceBehaviour(long nowNanos) {
        this.firstSeenNanos = nowNanos;
        this.lastSeenNanos = nowNanos;
    }

    void published(String topic, int bytes, long now) {
        messagesShort.add(1, now);
        messagesBaseline.add(1, now);
        bytesShort.add(bytes, now);
        meanPayload += (bytes - meanPayload) * 0.05;
        if (!topics.contains(topic)) {
            newTopics.add(1, now);
            remember(topics, topic, MAX_TOPICS);
        }
    }

    /** Records a connection's network; returns true when the network was not seen before. */
    boolean connectedFrom(String network, long now) {
        connects.add(1, now);
        if (network.isEmpty() || networks.contains(network)) {
            return false;
        }
        remember(networks, network, MAX_NETWORKS);
        return true;
    }

    boolean knowsNetworks() {
        return !networks.isEmpty();
    }

    private static void remember(Set<String> set, String item, int max) {
        if (set.size() >= max) {
            var oldest = set.iterator();
            oldest.next();
            oldest.remove();
        }
        set.add(item);
    }

    /** The features rules look at, for attribution in alerts (rates per minute unless named). */
    Map<String, Double> features(long now) {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("auth_failures_per_min", authFailures.value(now));
        features.put("acl_denied_per_min", aclDenied.value(now));
        features.put("cross_device_denied_per_min", crossDeviceDenied.value(now));
        features.put("quota_hits_per_min", quotaHits.value(now));
        features.put("protocol_violations_per_min", violations.value(now));
        features.put("connects_per_min", connects.value(now));
        features.put("new_topics_per_min", newTopics.value(now));
        features.put("messages_per_s", messagesShort.value(now) / 10);
        features.put("baseline_messages_per_s", messagesBaseline.value(now) / 3600);
        features.put("bytes_per_s", bytesShort.value(now) / 10);
        features.put("mean_payload_bytes", meanPayload);
        return features;
    }
}
