package io.palisade.detect;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What one subject (device or source address) has been doing, kept as damped counters over three
 * horizons (about ten seconds, a minute and an hour), damped payload statistics, and bounded sets of
 * the networks it came from and the topics it used. Memory per subject is fixed (a few KB at most),
 * so a fleet of any size, or an attacker inventing addresses, cannot grow it without bound.
 * {@link Feature} reads it. Not thread-safe: {@link Detector} synchronizes on it.
 */
final class DeviceBehaviour {

    static final int MAX_NETWORKS = 16;
    static final int MAX_TOPICS = 256;
    static final String MANAGEMENT_PREFIX = "quarantine/";
    /** A busy device's payload entropy is measured on one message in this many. */
    static final int ENTROPY_SAMPLING = 8;
    /** Weight of each new payload in the damped payload means (about the last 20 messages). */
    private static final double PAYLOAD_WEIGHT = 0.05;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /**
     * How fast a device's usual share of its cohort's traffic follows a lasting change: slow enough that a
     * drip of a few hours is not absorbed before it is found, fast enough to settle within the learning day.
     */
    static final long USUAL_SHARE_HALF_LIFE = 6 * 3600 * SECOND;

    final DampedRate authFailures = new DampedRate(60 * SECOND);
    final DampedRate aclDenied = new DampedRate(60 * SECOND);
    final DampedRate crossDeviceDenied = new DampedRate(60 * SECOND);
    final DampedRate quotaHits = new DampedRate(60 * SECOND);
    final DampedRate violations = new DampedRate(60 * SECOND);
    final DampedRate connects = new DampedRate(60 * SECOND);
    final DampedRate disconnects = new DampedRate(60 * SECOND);
    final DampedRate subscribes = new DampedRate(60 * SECOND);
    final DampedRate delivered = new DampedRate(60 * SECOND);
    final DampedRate deliveredBytes = new DampedRate(60 * SECOND);
    final DampedRate fileChanges = new DampedRate(60 * SECOND);
    final DampedRate newTopics = new DampedRate(60 * SECOND);
    final DampedRate messagesShort = new DampedRate(10 * SECOND);
    final DampedRate messagesMinute = new DampedRate(60 * SECOND);
    final DampedRate messagesBaseline = new DampedRate(3600 * SECOND);
    final DampedRate bytesShort = new DampedRate(10 * SECOND);
    final DampedRate bytesBaseline = new DampedRate(3600 * SECOND);
    final DampedRate bytesMinute = new DampedRate(60 * SECOND);
    /** Slow counters (about ten minutes, new topics about an hour): what the learned model looks at. */
    final DampedRate messagesSlow = new DampedRate(600 * SECOND);
    final DampedRate bytesSlow = new DampedRate(600 * SECOND);
    final DampedRate deliveredSlow = new DampedRate(600 * SECOND);
    final DampedRate subscribesSlow = new DampedRate(600 * SECOND);
    final DampedRate connectsSlow = new DampedRate(600 * SECOND);
    final DampedRate disconnectsSlow = new DampedRate(600 * SECOND);
    final DampedRate aclDeniedSlow = new DampedRate(600 * SECOND);
    final DampedRate newTopicsSlow = new DampedRate(3600 * SECOND);
    /** Seconds spent throttled by the gateway's quota, over about ten seconds. */
    final DampedRate throttledSeconds = new DampedRate(10 * SECOND);
    private long throttledUntilNanos;
    double meanPayload;
    double meanEntropy;
    private boolean published;
    private int entropySkips;
    private final Set<String> networks = new LinkedHashSet<>();
    private final Set<String> topics = new LinkedHashSet<>();
    /** State of operator rules that compare a feature with its own recent past (bounded by the rule count). */
    private final Map<String, DampedMean> ruleHistory = new HashMap<>(0);
    final long firstSeenNanos;
    long lastSeenNanos;
    /** When the learned model last took a sample of this subject, and how many in a row it found anomalous. */
    long lastModelSampleNanos = Long.MIN_VALUE / 2;
    int anomalousSamples;
    long anomalousSinceNanos;
    /** Highest rule and model scores since the last reset, for evaluations. */
    double peakRuleScore;
    double peakModelScore;
    final DeviceScope scope;
    /** The device's cohort model, once the detector has looked it up. */
    CohortModel cohort;
    /**
     * The device's usual share of its cohort's traffic (log of its hourly rate over the cohort's, messages
     * and bytes), learned from its typical samples, and how the latest sample compared with it (a ratio:
     * 1 is as usual). Set by {@link CohortModel}; see {@link Feature#MESSAGES_VS_OWN_SHARE}.
     */
    final DampedMean usualMessageShare = new DampedMean(USUAL_SHARE_HALF_LIFE);
    final DampedMean usualBytesShare = new DampedMean(USUAL_SHARE_HALF_LIFE);
    double messagesVsOwnShare = 1;
    double bytesVsOwnShare = 1;

    DeviceBehaviour(long nowNanos) {
        this(nowNanos, DeviceScope.DEFAULT);
    }

    DeviceBehaviour(long nowNanos, DeviceScope scope) {
        this.firstSeenNanos = nowNanos;
        this.lastSeenNanos = nowNanos;
        this.scope = scope;
    }

    /**
     * Whether to measure this message's entropy: always for a device under about one message a second
     * and for a message whose size is unusual for the device (a quarter off its mean), else one in
     * {@link #ENTROPY_SAMPLING}.
     */
    boolean takeEntropySample(int bytes, long now) {
        return messagesShort.value(now) < 10 || Math.abs(bytes - meanPayload) > meanPayload / 4
                || (++entropySkips % ENTROPY_SAMPLING) == 0;
    }

    /**
     * @param entropyBits the payload's entropy, or NaN when not measured for this message
     * @param settling    whether the device is still in its first minutes, when the topics it uses are its
     *                    usual set rather than new ones
     */
    void published(String topic, int bytes, double entropyBits, boolean settling, long now) {
        messagesShort.add(1, now);
        messagesMinute.add(1, now);
        messagesBaseline.add(1, now);
        bytesShort.add(bytes, now);
        bytesMinute.add(bytes, now);
        bytesBaseline.add(bytes, now);
        messagesSlow.add(1, now);
        bytesSlow.add(bytes, now);
        if (!published) {
            meanPayload = bytes;
            meanEntropy = Double.isNaN(entropyBits) ? 0 : entropyBits;
            published = true;
        } else {
            meanPayload += (bytes - meanPayload) * PAYLOAD_WEIGHT;
            if (!Double.isNaN(entropyBits)) {
                meanEntropy += (entropyBits - meanEntropy) * PAYLOAD_WEIGHT;
            }
        }
        // The management channel (update status, command results) is Palisade's own traffic: a roll-out
        // makes every device of a profile use it at once, which says nothing about the devices.
        if (!topics.contains(topic) && !topic.startsWith(MANAGEMENT_PREFIX)) {
            if (!settling) {
                newTopics.add(1, now);
                newTopicsSlow.add(1, now);
            }
            remember(topics, topic, MAX_TOPICS);
        }
    }

    /** Adds a throttling pause, counting only the time not already covered by an earlier pause. */
    void throttledFor(long pauseNanos, long now) {
        long until = now + pauseNanos;
        long added = until - Math.max(now, throttledUntilNanos);
        if (added > 0) {
            throttledSeconds.add(added / 1e9, now);
            throttledUntilNanos = until;
        }
    }

    /** Records a connection's network; returns true when the network was not seen before. */
    boolean connectedFrom(String network, long now) {
        connects.add(1, now);
        connectsSlow.add(1, now);
        if (network.isEmpty() || networks.contains(network)) {
            return false;
        }
        remember(networks, network, MAX_NETWORKS);
        return true;
    }

    boolean knowsNetworks() {
        return !networks.isEmpty();
    }

    int distinctTopics() {
        return topics.size();
    }

    int distinctNetworks() {
        return networks.size();
    }

    /** The subject's recent average of a feature, for an operator rule's rate-of-change test. */
    DampedMean history(String rule) {
        return ruleHistory.computeIfAbsent(rule, r -> new DampedMean(300 * SECOND));
    }

    void forgetHistoryExcept(Set<String> rules) {
        ruleHistory.keySet().retainAll(rules);
    }

    private static void remember(Set<String> set, String item, int max) {
        if (set.size() >= max) {
            var oldest = set.iterator();
            oldest.next();
            oldest.remove();
        }
        set.add(item);
    }

    /** Every feature by name, for attribution in alerts and the API. */
    Map<String, Double> features(long now) {
        Map<String, Double> features = new java.util.LinkedHashMap<>();
        for (Feature feature : Feature.values()) {
            features.put(feature.wireName(), feature.value(this, now));
        }
        return features;
    }
}
