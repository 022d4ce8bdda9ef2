package io.palisade.detect;

/**
 * How one feature is distributed across a cohort: a histogram over 128 logarithmic buckets (by
 * default each about 19% wide, from 0 to about 10^9) whose weights fade, so it follows a fleet that changes slowly and
 * costs a fixed 1 KB however many samples it sees. Answers percentiles for operator rules and the
 * "normal range" in alerts. Not thread-safe; {@link CohortModel} synchronizes.
 */
final class FeatureDistribution {

    private static final int BUCKETS = 128;
    private final double stepsPerDoubling;
    /** Every this many samples, old weight is multiplied by {@link #FADE}: a memory of roughly 20,000 samples. */
    private static final int FADE_EVERY = 1000;
    private static final double FADE = 0.95;

    private final double[] weights = new double[BUCKETS];

    /** Buckets about 19% wide. */
    FeatureDistribution() {
        this(4);
    }

    /** Buckets {@code 2^(1/stepsPerDoubling)} wide (32: about 2%, for scores near 1). */
    FeatureDistribution(double stepsPerDoubling) {
        this.stepsPerDoubling = stepsPerDoubling;
    }
    private double total;
    private int sinceFade;

    void add(double value) {
        weights[bucket(value)]++;
        total++;
        if (++sinceFade == FADE_EVERY) {
            sinceFade = 0;
            for (int i = 0; i < BUCKETS; i++) {
                weights[i] *= FADE;
            }
            total *= FADE;
        }
    }

    /** Effective number of samples behind the histogram (after fading). */
    double weight() {
        return total;
    }

    /** The value below which {@code percentile} percent of the cohort's samples lie (the bucket's upper edge). */
    double percentile(double percentile) {
        if (total <= 0) {
            return 0;
        }
        double wanted = total * Math.min(100, Math.max(0, percentile)) / 100;
        double seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += weights[i];
            if (seen >= wanted && weights[i] > 0) {
                return upperEdge(i);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    private int bucket(double value) {
        if (!(value > 0)) {
            return 0;
        }
        int index = (int) Math.ceil(Math.log1p(value) / Math.log(2) * stepsPerDoubling);
        return Math.min(BUCKETS - 1, Math.max(0, index));
    }

    private double upperEdge(int bucket) {
        return Math.expm1(bucket / stepsPerDoubling * Math.log(2));
    }

    /** The bucket weights, then the total and the count since the last fade. */
    double[] save() {
        double[] saved = java.util.Arrays.copyOf(weights, BUCKETS + 2);
        saved[BUCKETS] = total;
        saved[BUCKETS + 1] = sinceFade;
        return saved;
    }

    void restore(double[] saved) {
        if (saved.length != BUCKETS + 2) {
            throw new IllegalArgumentException("a feature distribution has " + BUCKETS + " buckets, not "
                    + (saved.length - 2));
        }
        System.arraycopy(saved, 0, weights, 0, BUCKETS);
        total = saved[BUCKETS];
        sinceFade = (int) saved[BUCKETS + 1];
    }
}
