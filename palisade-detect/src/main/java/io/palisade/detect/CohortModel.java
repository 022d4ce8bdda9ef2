package io.palisade.detect;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The learned behaviour of one cohort (the devices of one profile): a random cut forest over the
 * devices' slow-moving features (about ten-minute windows) plus the time of day, and the cohort's
 * distribution of every feature (for percentile rules and the "normal range" in alerts).
 *
 * <ul>
 *   <li>Scale: during the learning period only the distributions are kept; when it ends each feature's
 *       normal range (0.5th to 99.5th percentile) becomes its unit, so that "twice the usual payload"
 *       weighs the same for 50-byte and 5-KB devices.</li>
 *   <li>Outliers: a sample scoring at least {@link #THRESHOLD} and {@link #OUTLIER_FACTOR} times the
 *       cohort's typical score right now. Judging against the typical score lets the bar rise when the
 *       whole cohort drifts (the time of day).</li>
 *   <li>Learning: only samples typical for the cohort are learned. A compromised device sampled every
 *       interval, its damped means ramping up step by step, would otherwise teach the forest that its
 *       new behaviour is normal within minutes. When many devices of the cohort are outliers at once
 *       ({@link #FLEET_CHANGE_SHARE}), the fleet changed (a roll-out, an outage): that is learned, not
 *       flagged.</li>
 * </ul>
 *
 * <p>One forest per cohort rather than per device keeps memory bounded (about 1 MB per cohort
 * whatever its size; a forest per device would not scale, see DESIGN.md), while per-device damped
 * statistics keep each device's own state small. These choices were made on the evaluation
 * ({@code palisade detect eval}); README "Detection" records the effect of each. Thread-safe: one
 * lock per cohort.
 */
final class CohortModel {

    /**
     * The features the forest sees, in order; time of day is added as two more dimensions. Connection
     * counts (connects, disconnects, the subscriptions renewed on each) are left to the rules (churn,
     * new network): a device's occasional reconnect moves three of them at once, which made ordinary
     * reconnects the model's main source of false alarms in the evaluation.
     */
    static final List<Feature> MODEL_FEATURES = List.of(Feature.MESSAGES_PER_10MIN, Feature.BYTES_PER_10MIN,
            Feature.MEAN_PAYLOAD_BYTES, Feature.PAYLOAD_ENTROPY_BITS, Feature.MESSAGES_IN_PER_10MIN,
            Feature.NEW_TOPICS_PER_HOUR, Feature.DISTINCT_TOPICS, Feature.ACL_DENIED_PER_10MIN,
            Feature.MESSAGES_VS_OWN_SHARE, Feature.BYTES_VS_OWN_SHARE);
    /** The cohort's reference for each device's share of its traffic. */
    private final TrafficShares shares = new TrafficShares();
    private static final int DIMENSIONS = MODEL_FEATURES.size() + 2;
    static final int TREES = 30;
    static final int SAMPLE_SIZE = 256;
    /** A random cut forest's scores for ordinary points sit near 1 and below; a sample scoring this is an outlier. */
    static final double THRESHOLD = 2.5;
    /** Samples scoring below this are learned; those between it and the threshold are neither learned nor flagged. */
    static final double LEARN_BELOW = 1.2;
    /** Relative to the cohort's typical score now: the outlier bar and the learning bar. */
    static final double OUTLIER_FACTOR = 4.5;
    static final double LEARN_FACTOR = 1.3;
    /** Samples the cohort needs before its normal ranges are taken (besides its learning period). */
    static final int MIN_SAMPLES_FOR_SCALE = 64;
    static final long RECENT_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    /** The narrowest normal range of a device's share of its cohort's traffic: 20% (log units). */
    static final double SHARE_MIN_WIDTH = 0.08;
    /**
     * When at least this share of the cohort's active devices (and at least {@link #FLEET_CHANGE_DEVICES})
     * were outliers recently, outliers are a fleet-wide change (a roll-out, an outage), not anomalies.
     */
    static final double FLEET_CHANGE_SHARE = 0.2;
    static final int FLEET_CHANGE_DEVICES = 5;

    /**
     * The forest's verdict on one sample.
     *
     * @param ratio      the sample's score over the cohort's threshold (≥ 1: anomalous)
     * @param top        the feature that contributed most to the score
     * @param above      whether that feature was above (else below) the points around it
     * @param value      the feature's value
     * @param normalLow  the cohort's 5th percentile of that feature
     * @param normalHigh the cohort's 95th percentile
     */
    record Verdict(double ratio, Feature top, boolean above, double value, double normalLow, double normalHigh) {

        boolean anomalous() {
            return ratio >= 1;
        }

        /** A sample that is not an outlier: no attribution to compute. */
        static Verdict ordinary(double ratio) {
            return new Verdict(ratio, MODEL_FEATURES.get(0), true, 0, 0, 0);
        }
    }

    private final String name;
    private final long createdNanos;
    private final RandomCutForest forest;
    private final Map<Feature, FeatureDistribution> distributions = new EnumMap<>(Feature.class);
    /** Per feature: {percentile asked, its value, samples behind it}, until the distributions next change. */
    private final Map<Feature, double[]> percentiles = new EnumMap<>(Feature.class);
    private final long learningNanos;
    /**
     * The forest's last {@code 64} scores for this cohort; their median is the typical score now. A
     * median, so that one misbehaving device in a small cohort cannot raise the bar for itself.
     */
    private final double[] recentScores = new double[64];
    private int recentCount;
    /** Devices sampled, and devices found outlying, in about the last {@link #RECENT_NANOS}, by last time. */
    private final Map<DeviceBehaviour, Long> activeDevices = new java.util.LinkedHashMap<>(64, 0.75f, true);
    private final Map<DeviceBehaviour, Long> outlierDevices = new java.util.LinkedHashMap<>(16, 0.75f, true);
    /** Per model feature, the width of the cohort's normal range in log units; fixed when learning ends. */
    private double[] scale;
    private long samples;

    CohortModel(String name, long createdNanos, long learningNanos, long seed) {
        this(name, createdNanos, learningNanos, RandomCutForest.builder()
                .dimensions(DIMENSIONS)
                .numberOfTrees(TREES)
                .sampleSize(SAMPLE_SIZE)
                .outputAfter(SAMPLE_SIZE)
                .timeDecay(1.0 / (SAMPLE_SIZE * 64)) // remembers ~16k samples: hours of a cohort, not minutes
                .randomSeed(seed)
                .build());
    }

    private CohortModel(String name, long createdNanos, long learningNanos, RandomCutForest forest) {
        this.name = name;
        this.createdNanos = createdNanos;
        this.learningNanos = learningNanos;
        this.forest = forest;
        for (Feature feature : Feature.values()) {
            // Shares sit near 1 and matter in steps of a few percent: the default 19% buckets would make
            // their normal range a bucket wide.
            distributions.put(feature, TrafficShares.isShare(feature) ? new FeatureDistribution(32)
                    : new FeatureDistribution());
        }
    }

    /**
     * What the cohort has learned, as of {@code now}: the forest (its samples, through Random Cut Forest's
     * own state mapper), the feature distributions, the scales, recent scores and the traffic-share
     * reference. The devices seen recently are not kept: they are met again within minutes.
     */
    synchronized com.fasterxml.jackson.databind.node.ObjectNode save(long now,
                                                                     com.fasterxml.jackson.databind.ObjectMapper json) {
        var node = json.createObjectNode();
        node.put("name", name);
        node.put("created_ago", now - createdNanos);
        node.put("samples", samples);
        if (scale != null) {
            node.set("scale", json.valueToTree(scale));
        }
        node.set("recent_scores", json.valueToTree(recentScores));
        node.put("recent_count", recentCount);
        node.set("shares", json.valueToTree(shares.save(now)));
        var saved = node.putObject("distributions");
        distributions.forEach((feature, distribution) -> saved.set(feature.name(), json.valueToTree(distribution.save())));
        com.amazon.randomcutforest.state.RandomCutForestMapper mapper = new com.amazon.randomcutforest.state.RandomCutForestMapper();
        mapper.setSaveExecutorContextEnabled(true);
        node.set("forest", json.valueToTree(mapper.toState(forest)));
        return node;
    }

    /** A cohort from {@link #save}, {@code baseNanos} being when it was saved on this process's clock. */
    static CohortModel restore(com.fasterxml.jackson.databind.JsonNode node, long baseNanos, long learningNanos,
                               com.fasterxml.jackson.databind.ObjectMapper json) throws java.io.IOException {
        var state = json.treeToValue(node.path("forest"), com.amazon.randomcutforest.state.RandomCutForestState.class);
        if (state == null || state.getDimensions() != DIMENSIONS) {
            throw new IllegalArgumentException("the saved forest of cohort " + node.path("name").asText()
                    + " does not have the model's " + DIMENSIONS + " dimensions");
        }
        CohortModel model = new CohortModel(node.path("name").asText(), baseNanos - node.path("created_ago").asLong(),
                learningNanos, new com.amazon.randomcutforest.state.RandomCutForestMapper().toModel(state));
        model.samples = node.path("samples").asLong();
        if (node.has("scale")) {
            model.scale = DeviceBehaviour.doubles(node.path("scale"), MODEL_FEATURES.size());
        }
        double[] scores = DeviceBehaviour.doubles(node.path("recent_scores"), model.recentScores.length);
        System.arraycopy(scores, 0, model.recentScores, 0, scores.length);
        model.recentCount = node.path("recent_count").asInt();
        model.shares.restore(DeviceBehaviour.doubles(node.path("shares"), 3), baseNanos);
        for (Feature feature : Feature.values()) {
            var saved = node.path("distributions").path(feature.name());
            if (!saved.isMissingNode()) {
                double[] values = new double[saved.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = saved.get(i).asDouble();
                }
                model.distributions.get(feature).restore(values);
            }
        }
        return model;
    }

    /** Per feature the cohort has seen: its 5th and 95th percentile now (the "normal range" alerts quote). */
    synchronized Map<String, double[]> normalRanges() {
        Map<String, double[]> ranges = new java.util.LinkedHashMap<>();
        distributions.forEach((feature, distribution) -> {
            if (distribution.weight() > 0) {
                ranges.put(feature.wireName(), new double[] {distribution.percentile(5), distribution.percentile(95)});
            }
        });
        return ranges;
    }

    String name() {
        return name;
    }

    long createdNanos() {
        return createdNanos;
    }

    /** Takes one sample of a device into the cohort's model and returns the forest's verdict on it. */
    synchronized Verdict sample(DeviceBehaviour behaviour, long now, double hourOfDay) {
        TrafficShares.Sample share = shares.compare(behaviour, now, () -> {
            forgetBefore(activeDevices, now - RECENT_NANOS);
            return activeDevices.keySet();
        });
        double[] raw = new double[MODEL_FEATURES.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = MODEL_FEATURES.get(i).value(behaviour, now);
        }
        samples++;
        activeDevices.put(behaviour, now);
        if (scale == null) {
            // Learning: only the cohort's distributions, from which the forest's scales are taken.
            learnDistributions(behaviour, now);
            share.learn(behaviour, now);
            // Scales are taken once the learning period is over and the devices' shares of the traffic have
            // settled and been seen for a while, whichever is later (a short learning period in a test).
            if (now - createdNanos >= Math.max(learningNanos, TrafficShares.SETTLING_NANOS + RECENT_NANOS * 3)
                    && samples >= MIN_SAMPLES_FOR_SCALE) {
                scale = normalRangeWidths();
            }
            return Verdict.ordinary(0);
        }
        double[] point = point(raw, hourOfDay);
        if (!forest.isOutputReady()) {
            learn(behaviour, now, point, share);
            return Verdict.ordinary(0);
        }
        double score = forest.getAnomalyScore(point);
        // Scores are judged against what is typical for the cohort right now: when the whole cohort
        // drifts (the time of day, a new firmware), typical scores rise with it and the bar with them.
        double typical = typicalScore();
        recentScores[recentCount++ % recentScores.length] = score;
        double threshold = Math.max(THRESHOLD, OUTLIER_FACTOR * typical);
        double ratio = score / threshold;
        boolean outlier = ratio >= 1;
        if (outlier) {
            outlierDevices.put(behaviour, now);
        }
        if (outlier && fleetWideChange(now)) {
            // Much of the cohort looks different at once: the fleet changed (a roll-out, an outage), not
            // one device. Learn it rather than flag everyone.
            learn(behaviour, now, point, share);
            return Verdict.ordinary(Math.min(ratio, 0.99));
        }
        if (!outlier) {
            // Only points typical for the cohort now are learned: a device drifting away on its own,
            // step by step (a damped mean ramping up), must not drag the forest along with it.
            if (score < Math.max(LEARN_BELOW, LEARN_FACTOR * typical)) {
                learn(behaviour, now, point, share);
            }
            return Verdict.ordinary(ratio);
        }
        DiVector attribution = forest.getAnomalyAttribution(point);
        int top = 0;
        boolean above = true;
        double best = -1;
        for (int i = 0; i < raw.length; i++) {
            double contribution = attribution.high[i] + attribution.low[i];
            if (contribution > best) {
                best = contribution;
                top = i;
                above = attribution.high[i] >= attribution.low[i];
            }
        }
        Feature topFeature = MODEL_FEATURES.get(top);
        FeatureDistribution distribution = distributions.get(topFeature);
        return new Verdict(ratio, topFeature, above, raw[top], distribution.percentile(5),
                distribution.percentile(95));
    }

    /**
     * Each feature in units of the cohort's normal range (log scale): a payload twice its usual size
     * then weighs the same whether the cohort's payloads are 50 bytes or 5 KB, and an event that
     * ordinary devices of the cohort never see (a new topic for a sensor) stands out, while one they
     * see now and then (a command, a reconnect) does not.
     */
    private double[] point(double[] raw, double hourOfDay) {
        double[] point = new double[DIMENSIONS];
        for (int i = 0; i < raw.length; i++) {
            point[i] = transform(MODEL_FEATURES.get(i), raw[i]) / scale[i] * weight(MODEL_FEATURES.get(i));
        }
        double angle = 2 * Math.PI * hourOfDay / 24;
        point[DIMENSIONS - 2] = Math.sin(angle);
        point[DIMENSIONS - 1] = Math.cos(angle);
        return point;
    }

    /**
     * Entropy is bounded (0-8 bits) and taken as it is; sizes, counts and rates on a log scale; shares (ratios
     * around 1) as their logarithm, so that a third more and a quarter less weigh alike.
     */
    private static double transform(Feature feature, double value) {
        return switch (feature) {
            case PAYLOAD_ENTROPY_BITS -> value;
            case MESSAGES_VS_OWN_SHARE, BYTES_VS_OWN_SHARE -> Math.log(Math.max(1e-3, value));
            default -> Math.log1p(Math.max(0, value));
        };
    }

    /**
     * The narrowest normal range a feature is given. For event counts, one event more than usual is
     * within it (log1p(1)): a reconnect or a command now and then is not an anomaly even in a cohort
     * that rarely sees one. Payload sizes and topics are steadier: a third more is a change, and so is
     * a topic a device never used (its first minutes' topics are not counted as new). Entropy: half a
     * bit per byte.
     */
    private static double minimumWidth(Feature feature) {
        return switch (feature) {
            case PAYLOAD_ENTROPY_BITS -> 0.5;
            case MEAN_PAYLOAD_BYTES, DISTINCT_TOPICS, NEW_TOPICS_PER_HOUR -> 0.25;
            case MESSAGES_VS_OWN_SHARE, BYTES_VS_OWN_SHARE -> SHARE_MIN_WIDTH;
            default -> Math.log(2);
        };
    }

    private double[] normalRangeWidths() {
        double[] widths = new double[MODEL_FEATURES.size()];
        for (int i = 0; i < widths.length; i++) {
            FeatureDistribution distribution = distributions.get(MODEL_FEATURES.get(i));
            Feature feature = MODEL_FEATURES.get(i);
            double low = transform(feature, distribution.percentile(0.5));
            double high = transform(feature, distribution.percentile(99.5));
            widths[i] = Math.max(minimumWidth(feature), high - low);
        }
        return widths;
    }

    private double typicalScore() {
        int n = Math.min(recentCount, recentScores.length);
        if (n == 0) {
            return 1;
        }
        double[] sorted = java.util.Arrays.copyOf(recentScores, n);
        java.util.Arrays.sort(sorted);
        return sorted[n / 2];
    }

    private boolean fleetWideChange(long now) {
        forgetBefore(activeDevices, now - RECENT_NANOS);
        forgetBefore(outlierDevices, now - RECENT_NANOS);
        return outlierDevices.size() >= Math.max(FLEET_CHANGE_DEVICES, FLEET_CHANGE_SHARE * activeDevices.size());
    }

    /** Drops entries last touched before {@code cutoff} (access order: the oldest come first). */
    private static void forgetBefore(Map<DeviceBehaviour, Long> recent, long cutoff) {
        var entries = recent.entrySet().iterator();
        while (entries.hasNext() && entries.next().getValue() < cutoff) {
            entries.remove();
        }
    }

    private void learn(DeviceBehaviour behaviour, long now, double[] point, TrafficShares.Sample share) {
        forest.update(point);
        learnDistributions(behaviour, now);
        share.learn(behaviour, now);
    }

    /**
     * Shares weigh {@link #SHARE_WEIGHT} times a normal range: they are ratios of steady hourly counts, so
     * their normal range is set by rare transients (a device's link drops), while the same change in a
     * count feature is lost in the cohort's daily swing.
     */
    private static double weight(Feature feature) {
        return TrafficShares.isShare(feature) ? SHARE_WEIGHT : 1;
    }

    static final double SHARE_WEIGHT = 1.5;

    private void learnDistributions(DeviceBehaviour behaviour, long now) {
        percentiles.clear();
        for (Feature feature : Feature.values()) {
            distributions.get(feature).add(feature.value(behaviour, now));
        }
    }

    /** The cohort's {@code percentile}-th percentile of a feature, and how many samples stand behind it. */
    synchronized double[] percentile(Feature feature, double percentile) {
        // Percentile rules ask per packet; the distributions change only when a sample is learned, so
        // the answer is kept until then (one percentile per feature: rules rarely ask two of one feature).
        double[] cached = percentiles.get(feature);
        if (cached == null || cached[0] != percentile) {
            FeatureDistribution distribution = distributions.get(feature);
            cached = new double[] {percentile, distribution.percentile(percentile), distribution.weight()};
            percentiles.put(feature, cached);
        }
        return new double[] {cached[1], cached[2]};
    }

    synchronized long samples() {
        return samples;
    }
}
