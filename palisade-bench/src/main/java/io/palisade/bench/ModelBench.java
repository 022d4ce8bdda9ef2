package io.palisade.bench;

import io.palisade.core.device.DeviceId;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.Detector;
import io.palisade.detect.DeviceScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The learned model's cost: samples per second through the cohort forests (score, attribution when
 * anomalous, learning) on one thread, and the heap the model adds per cohort and per device. Virtual
 * time advances one sampling interval per round, so every observation takes a model sample: the
 * worst case, where the real detector samples each device once per 30 s.
 */
final class ModelBench {

    private ModelBench() {
    }

    static void run(int cohorts, int devicesPerCohort, int measuredRounds) throws Exception {
        int devices = cohorts * devicesPerCohort;
        DeviceId[] ids = new DeviceId[devices];
        for (int i = 0; i < devices; i++) {
            ids[i] = DeviceId.of("c" + (i % cohorts) + "-" + i);
        }
        ByteBuffer[] payloads = new ByteBuffer[64];
        Random random = new Random(1);
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = ByteBuffer.wrap(("{\"t\":" + (200 + random.nextInt(100)) + ",\"seq\":" + random.nextInt(99999)
                    + "}").getBytes(StandardCharsets.US_ASCII));
        }
        long[] nanos = {0};
        AtomicLong findings = new AtomicLong();
        // Both detectors stay alive until both are measured, so that neither measurement sees the
        // other's garbage: heap before, after the rules-only detector, after the one with the model.
        long heap0 = DetectBench.usedHeap();
        long[] rulesNanos = {0};
        try (Detector rulesOnly = detector(false, rulesNanos, findings);
             Detector detector = detector(true, nanos, findings)) {
            rounds(rulesOnly, ids, payloads, 45, rulesNanos);
            long heap1 = DetectBench.usedHeap();
            rounds(detector, ids, payloads, 45, nanos); // 20 min warm-up + 10 min learning, then forests fill
            long heap2 = DetectBench.usedHeap();
            long withoutModel = heap1 - heap0;
            long withModel = heap2 - heap1;
            long start = System.nanoTime();
            rounds(detector, ids, payloads, measuredRounds, nanos);
            double seconds = (System.nanoTime() - start) / 1e9;
            double samplesPerSecond = (double) devices * measuredRounds / seconds;
            System.out.println("== Learned model: " + cohorts + " cohorts x " + devicesPerCohort + " devices, a sample"
                    + " per observation ==");
            System.out.printf("%-52s %,12.0f /s%n", "model samples (score + learn), one thread", samplesPerSecond);
            System.out.printf("%-52s %,12.0f%n", "devices one core samples every 30 s", samplesPerSecond * 30);
            System.out.printf("%-52s %,12d bytes%n", "heap per cohort added by the model",
                    (withModel - withoutModel) / cohorts);
            System.out.printf("%-52s %,12d bytes%n", "heap per device, model included", withModel / devices);
            System.out.printf("%-52s %,12d bytes%n", "heap per device, rules only", withoutModel / devices);
            System.out.printf("%-52s %,12d%n", "findings (steady traffic: expect 0)", findings.get());
            System.out.println();
        }
    }

    private static Detector detector(boolean model, long[] nanos, AtomicLong findings) {
        return new Detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofMinutes(10)).withModel(model)
                .withAutoQuarantine(false), (device, reason) -> { }, e -> findings.incrementAndGet(),
                Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC), () -> nanos[0],
                id -> new DeviceScope(id.value().substring(0, id.value().indexOf('-')), "bench"), Runnable::run, 1);
    }

    /** Every device publishes once per round; a round is one sampling interval (30 s) of virtual time. */
    private static void rounds(Detector detector, DeviceId[] ids, ByteBuffer[] payloads, int rounds, long[] nanos) {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < ids.length; i++) {
                nanos[0] += 1; // distinct times within the round
                detector.onPublish(ids[i], "devices/" + ids[i].value() + "/t", payloads[(i + round) & 63].duplicate());
            }
            nanos[0] += Duration.ofSeconds(30).toNanos();
        }
    }
}
