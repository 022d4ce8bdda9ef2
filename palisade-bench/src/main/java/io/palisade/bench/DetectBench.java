package io.palisade.bench;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.Detector;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detection path alone: observations per second through feature updates and all rules on one
 * thread, and the heap each tracked device costs. (No peer runs this; the figure to compare with is the
 * gateway's own message rate, see the gateway benchmark.)
 */
final class DetectBench {

    /** Telemetry-like payloads of 64 to 127 bytes, as a sensor fleet sends. */
    private static final java.nio.ByteBuffer[] PAYLOADS = new java.nio.ByteBuffer[64];

    static {
        for (int i = 0; i < PAYLOADS.length; i++) {
            String json = "{\"t\":" + (20 + i % 7) + "." + i + ",\"h\":" + (40 + i) + ",\"seq\":" + i * 7919 + "}";
            PAYLOADS[i] = java.nio.ByteBuffer.wrap((json + " ".repeat(64 + i - json.length())).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private DetectBench() {
    }

    static void run(int devices, int observations) throws Exception {
        AtomicLong findings = new AtomicLong();
        DeviceId[] ids = new DeviceId[devices];
        for (int i = 0; i < devices; i++) {
            ids[i] = DeviceId.of("bench-" + i);
        }
        System.gc();
        long heapBefore = usedHeap();
        // Default learning period: the bench pushes each device far above any history it has, which the
        // baseline rules would rightly call a flood once learning is over; signatures all run.
        try (Detector detector = new Detector(DetectionConfig.defaults().withAutoQuarantine(false), (device, reason) -> { }, e -> findings.incrementAndGet(), Clock.systemUTC(),
                System::nanoTime)) {
            for (int i = 0; i < devices; i++) { // every device seen once, with a topic and a network
                detector.onPublish(ids[i], "devices/" + ids[i].value() + "/temp", PAYLOADS[i & 63].duplicate());
                detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.AUTH_SUCCEEDED, Severity.INFO, ids[i],
                        "10.0." + (i / 256 % 256) + "." + (i % 256), "connected"));
            }
            System.gc();
            long perDevice = (usedHeap() - heapBefore) / devices;
            // warm-up, then measure
            feed(detector, ids, observations / 4);
            long start = System.nanoTime();
            feed(detector, ids, observations);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("== Detection: features, payload entropy and every built-in rule per observation, " + devices
                    + " devices ==");
            System.out.printf("%-52s %,12.0f /s%n", "publish observations through the detector", observations / seconds);
            System.out.printf("%-52s %,12d bytes%n", "heap per tracked device (after GC)", perDevice);
            System.out.printf("%-52s %,12d%n", "findings raised during the run (no attack: expect 0)", findings.get());
            System.out.println();
        }
    }

    private static void feed(Detector detector, DeviceId[] ids, int observations) {
        for (int i = 0; i < observations; i++) {
            DeviceId id = ids[i % ids.length];
            detector.onPublish(id, "devices/" + id.value() + "/temp", PAYLOADS[i & 63].duplicate());
        }
    }

    static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
