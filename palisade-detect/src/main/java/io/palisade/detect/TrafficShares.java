package io.palisade.detect;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cohort's reference for the "vs own share" features: its typical hourly message and byte counts right
 * now (log of the median over the devices sampled recently, refreshed every {@link #REFERENCE_REFRESH_NANOS}),
 * against which each device's share of the traffic is measured and compared with its own usual share.
 *
 * <p>The time of day and an outage move the whole cohort, so a share stays put, while a device adding a
 * little traffic of its own (an exfiltration drip hidden in a camera's bulky stream) moves its own. A median,
 * so that the device being judged, or a few misbehaving ones, do not move the reference. Not thread-safe:
 * {@link CohortModel} synchronizes.
 */
final class TrafficShares {

    static final long REFERENCE_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Two hours: a device's hourly counts (damped over about an hour) have settled by then. */
    static final long SETTLING_NANOS = TimeUnit.HOURS.toNanos(2);
    /** A kilobyte an hour: below it, byte counts are noise rather than a share of anything. */
    private static final double BYTES_FLOOR = 1024;

    private double referenceLogMessages = Double.NaN;
    private double referenceLogBytes = Double.NaN;
    private long referenceTakenNanos = Long.MIN_VALUE / 2;

    /** {reference log messages, reference log bytes, nanoseconds since it was taken}. */
    double[] save(long nowNanos) {
        return new double[] {referenceLogMessages, referenceLogBytes, nowNanos - referenceTakenNanos};
    }

    void restore(double[] saved, long baseNanos) {
        referenceLogMessages = saved[0];
        referenceLogBytes = saved[1];
        referenceTakenNanos = baseNanos - (long) saved[2];
    }

    static boolean isShare(Feature feature) {
        return feature == Feature.MESSAGES_VS_OWN_SHARE || feature == Feature.BYTES_VS_OWN_SHARE;
    }

    /**
     * Measures the device's share of the cohort's traffic now against its own usual share and sets the two
     * "vs own share" features from it; {@code recentDevices} are the cohort's devices sampled lately, asked for
     * only when the reference is due. The usual share learns only from samples the forest finds typical
     * ({@link Sample#learn}).
     */
    Sample compare(DeviceBehaviour behaviour, long now, Supplier<Collection<DeviceBehaviour>> recentDevices) {
        if (now - behaviour.firstSeenNanos < SETTLING_NANOS) {
            // Its hourly counts are still filling: no share to speak of yet, and nothing to learn.
            behaviour.messagesVsOwnShare = 1;
            behaviour.bytesVsOwnShare = 1;
            return Sample.NONE;
        }
        refreshReference(now, recentDevices);
        double messageShare = logMessages(behaviour, now) - referenceLogMessages;
        double bytesShare = logBytes(behaviour, now) - referenceLogBytes;
        behaviour.messagesVsOwnShare = Math.exp(messageShare - behaviour.usualMessageShare.meanOr(messageShare));
        behaviour.bytesVsOwnShare = Math.exp(bytesShare - behaviour.usualBytesShare.meanOr(bytesShare));
        return new Sample(messageShare, bytesShare);
    }

    private void refreshReference(long now, Supplier<Collection<DeviceBehaviour>> recentDevices) {
        if (now - referenceTakenNanos < REFERENCE_REFRESH_NANOS && !Double.isNaN(referenceLogMessages)) {
            return;
        }
        Collection<DeviceBehaviour> devices = recentDevices.get();
        double[] messages = new double[devices.size()];
        double[] bytes = new double[devices.size()];
        int i = 0;
        for (DeviceBehaviour device : devices) {
            messages[i] = logMessages(device, now);
            bytes[i++] = logBytes(device, now);
        }
        referenceLogMessages = median(messages);
        referenceLogBytes = median(bytes);
        referenceTakenNanos = now;
    }

    private static double logMessages(DeviceBehaviour device, long now) {
        return Math.log1p(device.messagesBaseline.value(now));
    }

    private static double logBytes(DeviceBehaviour device, long now) {
        return Math.log(BYTES_FLOOR + device.bytesBaseline.value(now));
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }

    /** One sample's shares of the cohort's traffic (log ratios), learned into the device's usual share when typical. */
    record Sample(double messages, double bytes) {
        static final Sample NONE = new Sample(Double.NaN, Double.NaN);

        void learn(DeviceBehaviour behaviour, long now) {
            if (Double.isNaN(messages)) {
                return;
            }
            behaviour.usualMessageShare.meanThenAdd(messages, now);
            behaviour.usualBytesShare.meanThenAdd(bytes, now);
        }
    }
}
