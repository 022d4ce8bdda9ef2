package io.palisade.detect;

import java.util.HashMap;
import java.util.List;
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

    /** Every damped counter by a stable name: what a checkpoint saves and restores. */
    private Map<String, DampedRate> rates() {
        Map<String, DampedRate> rates = new java.util.LinkedHashMap<>();
        rates.put("auth_failures", authFailures);
        rates.put("acl_denied", aclDenied);
        rates.put("cross_device_denied", crossDeviceDenied);
        rates.put("quota_hits", quotaHits);
        rates.put("violations", violations);
        rates.put("connects", connects);
        rates.put("disconnects", disconnects);
        rates.put("subscribes", subscribes);
        rates.put("delivered", delivered);
        rates.put("delivered_bytes", deliveredBytes);
        rates.put("file_changes", fileChanges);
        rates.put("new_topics", newTopics);
        rates.put("messages_short", messagesShort);
        rates.put("messages_minute", messagesMinute);
        rates.put("messages_baseline", messagesBaseline);
        rates.put("bytes_short", bytesShort);
        rates.put("bytes_baseline", bytesBaseline);
        rates.put("bytes_minute", bytesMinute);
        rates.put("messages_slow", messagesSlow);
        rates.put("bytes_slow", bytesSlow);
        rates.put("delivered_slow", deliveredSlow);
        rates.put("subscribes_slow", subscribesSlow);
        rates.put("connects_slow", connectsSlow);
        rates.put("disconnects_slow", disconnectsSlow);
        rates.put("acl_denied_slow", aclDeniedSlow);
        rates.put("new_topics_slow", newTopicsSlow);
        rates.put("throttled_seconds", throttledSeconds);
        return rates;
    }

    /**
     * What this subject has learned, as of {@code now}: times as nanoseconds before {@code now}, so that a
     * restart can put them back on its own clock. The cohort link and scope are looked up again.
     */
    com.fasterxml.jackson.databind.node.ObjectNode save(long now, com.fasterxml.jackson.databind.ObjectMapper json) {
        var node = json.createObjectNode();
        node.put("profile", scope.profile());
        node.put("segment", scope.segment());
        node.put("first_seen_ago", now - firstSeenNanos);
        node.put("last_seen_ago", now - lastSeenNanos);
        node.put("throttled_until_in", throttledUntilNanos - now);
        node.put("mean_payload", meanPayload);
        node.put("mean_entropy", meanEntropy);
        node.put("published", published);
        node.put("entropy_skips", entropySkips);
        networks.forEach(node.putArray("networks")::add);
        topics.forEach(node.putArray("topics")::add);
        var rateNodes = node.putObject("rates");
        rates().forEach((name, rate) -> rateNodes.set(name, json.valueToTree(rate.save(now))));
        var history = node.putObject("rule_history");
        ruleHistory.forEach((rule, mean) -> history.set(rule, json.valueToTree(mean.save(now))));
        node.set("usual_message_share", json.valueToTree(usualMessageShare.save(now)));
        node.set("usual_bytes_share", json.valueToTree(usualBytesShare.save(now)));
        node.put("messages_vs_own_share", messagesVsOwnShare);
        node.put("bytes_vs_own_share", bytesVsOwnShare);
        node.put("last_model_sample_ago", now - lastModelSampleNanos);
        node.put("anomalous_samples", anomalousSamples);
        node.put("anomalous_since_ago", now - anomalousSinceNanos);
        return node;
    }

    /** The profile and segment a saved subject had. */
    static DeviceScope savedScope(com.fasterxml.jackson.databind.JsonNode node) {
        return node.has("profile") ? new DeviceScope(node.path("profile").asText(), node.path("segment").asText())
                : DeviceScope.DEFAULT;
    }

    /** A subject from {@link #save}, {@code baseNanos} being when it was saved on this process's clock. */
    static DeviceBehaviour restore(com.fasterxml.jackson.databind.JsonNode node, long baseNanos, DeviceScope scope) {
        DeviceBehaviour behaviour = new DeviceBehaviour(baseNanos - node.path("first_seen_ago").asLong(), scope);
        behaviour.lastSeenNanos = baseNanos - node.path("last_seen_ago").asLong();
        behaviour.throttledUntilNanos = baseNanos + node.path("throttled_until_in").asLong();
        behaviour.meanPayload = node.path("mean_payload").asDouble();
        behaviour.meanEntropy = node.path("mean_entropy").asDouble();
        behaviour.published = node.path("published").asBoolean();
        behaviour.entropySkips = node.path("entropy_skips").asInt();
        node.path("networks").forEach(n -> remember(behaviour.networks, n.asText(), MAX_NETWORKS));
        node.path("topics").forEach(t -> remember(behaviour.topics, t.asText(), MAX_TOPICS));
        behaviour.rates().forEach((name, rate) -> {
            if (node.path("rates").has(name)) {
                rate.restore(doubles(node.path("rates").path(name), 3), baseNanos);
            }
        });
        node.path("rule_history").fields().forEachRemaining(rule ->
                behaviour.history(rule.getKey()).restore(doubles(rule.getValue(), 3), baseNanos));
        behaviour.usualMessageShare.restore(doubles(node.path("usual_message_share"), 3), baseNanos);
        behaviour.usualBytesShare.restore(doubles(node.path("usual_bytes_share"), 3), baseNanos);
        behaviour.messagesVsOwnShare = node.path("messages_vs_own_share").asDouble(1);
        behaviour.bytesVsOwnShare = node.path("bytes_vs_own_share").asDouble(1);
        behaviour.lastModelSampleNanos = baseNanos - node.path("last_model_sample_ago").asLong();
        behaviour.anomalousSamples = node.path("anomalous_samples").asInt();
        behaviour.anomalousSinceNanos = baseNanos - node.path("anomalous_since_ago").asLong();
        return behaviour;
    }

    /** Exactly {@code length} numbers, or an error naming what was found. */
    static double[] doubles(com.fasterxml.jackson.databind.JsonNode array, int length) {
        if (!array.isArray() || array.size() != length) {
            throw new IllegalArgumentException("expected " + length + " numbers, found " + array);
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            var item = array.get(i);
            if (item.isNumber()) {
                values[i] = item.asDouble();
            } else if (item.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(item.asText())) {
                values[i] = Double.parseDouble(item.asText()); // how JSON carries what is not a number
            } else {
                throw new IllegalArgumentException("expected numbers, found " + array);
            }
        }
        return values;
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
