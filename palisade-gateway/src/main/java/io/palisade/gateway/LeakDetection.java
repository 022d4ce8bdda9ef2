package io.palisade.gateway;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer-leak detector in a running gateway: off unless the operator asks for it.
 *
 * <p>Why: at its default level Netty records a stack trace for one buffer allocation in 128, and on the
 * gateway's per-message path that is one message in a few dozen paying tens of microseconds: measured at
 * 20 QoS 1 msg/s × 100 devices, the gateway's p99 latency fell from 529–612 µs to 383–542 µs with the
 * detector off (palisade-bench/mqtt-load-compare.sh, README). A leak is found by the tests instead: they
 * run at the paranoid level and fail on any report. To see reports in production, start with
 * {@code PALISADE_JAVA_OPTS=-Dio.netty.leakDetection.level=simple}.
 */
public final class LeakDetection {

    private LeakDetection() {
    }

    /** Turns the detector off unless a level was given on the command line (either of Netty's property names). */
    public static void offUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
