package io.palisade.detect;

/**
 * A time-weighted moving average: each sample pulls the mean toward it by a weight that grows with
 * the time since the previous sample (half-life {@code halfLifeNanos}), so irregular sampling does not
 * bias it. Not thread-safe; its owner synchronizes.
 */
final class DampedMean {

    private final double decayPerNano;
    private double mean;
    private long updatedNanos;
    private boolean empty = true;

    DampedMean(long halfLifeNanos) {
        this.decayPerNano = Math.log(2) / halfLifeNanos;
    }

    /** The mean so far, or {@code otherwise} before the first sample. */
    double meanOr(double otherwise) {
        return empty ? otherwise : mean;
    }

    /** The mean before this sample, then takes the sample in. */
    double meanThenAdd(double sample, long nowNanos) {
        if (empty) {
            empty = false;
            mean = sample;
            updatedNanos = nowNanos;
            return sample;
        }
        double before = mean;
        double keep = Math.exp(-decayPerNano * Math.max(0, nowNanos - updatedNanos));
        mean = keep * mean + (1 - keep) * sample;
        updatedNanos = nowNanos;
        return before;
    }

    /** {mean, nanoseconds since the last update, 1 if empty}, as of {@code nowNanos}. */
    double[] save(long nowNanos) {
        return new double[] {mean, nowNanos - updatedNanos, empty ? 1 : 0};
    }

    /** Takes saved state back, {@code baseNanos} being when it was saved on this process's clock. */
    void restore(double[] saved, long baseNanos) {
        mean = saved[0];
        updatedNanos = baseNanos - (long) saved[1];
        empty = saved[2] != 0;
    }
}
