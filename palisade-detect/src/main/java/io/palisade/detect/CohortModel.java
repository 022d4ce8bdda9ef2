package io.palisade.detect;

import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The learned behaviour of one cohort (the devices of one profile): a thresholded random cut forest
 * over the devices' feature vectors plus the time of day, and the cohort's distribution of every
 * feature. One forest per cohort rather than per device keeps memory bounded (about 1 MB per cohort
 * whatever its size; a forest per device would not scale, see DESIGN.md), while the per-device
 * damped statistics keep each device's own state small. The forest adapts continuously (it forgets
 * its oldest samples), so a fleet's slow drift becomes normal while a sudden change stands out.
 * Thread-safe: one lock per cohort; {@link Detector} samples each device at most once per sampling
 * interval, so the forest costs little per packet.
 */
final class CohortModel {

    /** The features the forest sees (log-scaled), in order; time of day is added as two more dimensions. */
    static final List<Feature> MODEL_FEATURES = List.of(Feature.MESSAGES_PER_MIN, Feature.BYTES_PER_MIN,
            Feature.MEAN_PAYLOAD_BYTES, Feature.PAYLOAD_ENTROPY_BITS, Feature.MESSAGES_IN_PER_MIN,
            Feature.SUBSCRIBES_PER_MIN, Feature.NEW_TOPICS_PER_MIN, Feature.DISTINCT_TOPICS, Feature.CONNECTS_PER_MIN,
            Feature.DISCONNECTS_PER_MIN, Feature.ACL_DENIED_PER_MIN);
    private static final int DIMENSIONS = MODEL_FEATURES.size() + 2;
    static final int TREES = 30;
    static final int SAMPLE_SIZE = 256;

    /**
     * The forest's verdict on one sample.
     *
     * @param ratio    the sample's score over the forest's current threshold (≥ 1 with a positive grade: anomalous)
     * @param grade    the forest's anomaly grade, 0 for normal
     * @param top      the feature that contributed most to the score
     * @param above    whether that feature was above (else below) what the forest expected
     * @param value    the feature's value
     * @param normalLow  the cohort's 5th percentile of that feature
     * @param normalHigh the cohort's 95th percentile
     */
    record Verdict(double ratio, double grade, Feature top, boolean above, double value, double normalLow,
                   double normalHigh) {

        boolean anomalous() {
            return grade > 0 && ratio >= 1;
        }
    }

    private final String name;
    private final long createdNanos;
    private final ThresholdedRandomCutForest forest;
    private final Map<Feature, FeatureDistribution> distributions = new EnumMap<>(Feature.class);
    private long samples;

    CohortModel(String name, long createdNanos, long seed) {
        this.name = name;
        this.createdNanos = createdNanos;
        this.forest = ThresholdedRandomCutForest.builder()
                .dimensions(DIMENSIONS)
                .shingleSize(1)
                .numberOfTrees(TREES)
                .sampleSize(SAMPLE_SIZE)
                .outputAfter(SAMPLE_SIZE)
                .anomalyRate(0.002)
                .transformMethod(TransformMethod.NONE)
                .randomSeed(seed)
                .build();
        for (Feature feature : Feature.values()) {
            distributions.put(feature, new FeatureDistribution());
        }
    }

    String name() {
        return name;
    }

    long createdNanos() {
        return createdNanos;
    }

    /** Takes one sample of a device into the cohort's model and returns the forest's verdict on it. */
    synchronized Verdict sample(DeviceBehaviour behaviour, long now, double hourOfDay) {
        double[] point = new double[DIMENSIONS];
        double[] raw = new double[MODEL_FEATURES.size()];
        for (Feature feature : Feature.values()) {
            distributions.get(feature).add(feature.value(behaviour, now));
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] = MODEL_FEATURES.get(i).value(behaviour, now);
            point[i] = Math.log1p(Math.max(0, raw[i]));
        }
        double angle = 2 * Math.PI * hourOfDay / 24;
        point[DIMENSIONS - 2] = Math.sin(angle);
        point[DIMENSIONS - 1] = Math.cos(angle);
        AnomalyDescriptor descriptor = forest.process(point, samples++);
        double threshold = descriptor.getThreshold();
        double ratio = threshold > 0 ? descriptor.getRCFScore() / threshold : 0;
        int top = 0;
        boolean above = true;
        DiVector attribution = descriptor.getAttribution();
        if (attribution != null) {
            double best = -1;
            for (int i = 0; i < raw.length; i++) {
                double contribution = attribution.high[i] + attribution.low[i];
                if (contribution > best) {
                    best = contribution;
                    top = i;
                    above = attribution.high[i] >= attribution.low[i];
                }
            }
        }
        Feature topFeature = MODEL_FEATURES.get(top);
        FeatureDistribution distribution = distributions.get(topFeature);
        return new Verdict(ratio, descriptor.getAnomalyGrade(), topFeature, above, raw[top],
                distribution.percentile(5), distribution.percentile(95));
    }

    /** The cohort's {@code percentile}-th percentile of a feature, and how many samples stand behind it. */
    synchronized double[] percentile(Feature feature, double percentile) {
        FeatureDistribution distribution = distributions.get(feature);
        return new double[] {distribution.percentile(percentile), distribution.weight()};
    }

    synchronized long samples() {
        return samples;
    }
}
