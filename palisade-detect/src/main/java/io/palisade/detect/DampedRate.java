package io.palisade.detect;

/**
 * An exponentially damped count: every addition decays with the given half-life, so {@link #value}
 * approximates "how many in about the last half-life" in constant memory and time, without buffers.
 * Not thread-safe; its owner synchronizes.
 */
final class DampedRate {

    private final double decayPerNano;
    private double value;
    private long updatedNanos;
    /** When the value last rose from (nearly) nothing: the start of the current burst. */
    private long burstStartNanos;

    DampedRate(long halfLifeNanos) {
        this.decayPerNano = Math.log(2) / halfLifeNanos;
    }

    void add(double amount, long nowNanos) {
        double current = value(nowNanos);
        if (current < 0.5) {
            burstStartNanos = nowNanos;
        }
        value = current + amount;
        updatedNanos = nowNanos;
    }

    double value(long nowNanos) {
        if (value == 0) {
            return 0;
        }
        long elapsed = Math.max(0, nowNanos - updatedNanos);
        return value * Math.exp(-decayPerNano * elapsed);
    }

    long burstStartNanos() {
        return burstStartNanos;
    }

    /** {value, nanoseconds since the last update, since the burst began}, as of {@code nowNanos}. */
    double[] save(long nowNanos) {
        return new double[] {value, nowNanos - updatedNanos, nowNanos - burstStartNanos};
    }

    /** Takes saved state back, {@code baseNanos} being when it was saved on this process's clock. */
    void restore(double[] saved, long baseNanos) {
        value = saved[0];
        updatedNanos = baseNanos - (long) saved[1];
        burstStartNanos = baseNanos - (long) saved[2];
    }
}
