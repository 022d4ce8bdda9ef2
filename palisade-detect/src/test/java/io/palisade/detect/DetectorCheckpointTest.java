package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A restart does not reopen the learning period: a detector restored from a checkpoint finds what the one
 * that learned would have found, where a detector starting afresh is still learning and finds nothing.
 */
class DetectorCheckpointTest {

    private static final int DEVICES = 24;
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private final Random random = new Random(11);

    /** A detector on simulated time, its clock's nanoseconds starting anywhere (each process has its own). */
    private final class Run {
        final List<SecurityEvent> emitted = new CopyOnWriteArrayList<>();
        long nanos;
        final Detector detector;

        Run(long startNanos, Instant wallClock) {
            nanos = startNanos;
            detector = new Detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofHours(1))
                    .withSampleInterval(Duration.ofSeconds(30)), (device, reason) -> { }, emitted::add,
                    Clock.fixed(wallClock, ZoneOffset.UTC), () -> nanos, id -> new DeviceScope("sensor", "north"),
                    Runnable::run, 5);
        }

        /** Each device publishes a reading every 20 s for {@code minutes}; {@code blobs}: sensor-5 adds 1.5 KB of noise every 30 s. */
        void run(int minutes, boolean blobs) {
            byte[] blob = new byte[1500];
            for (int second = 0; second < minutes * 60; second++) {
                for (int d = 0; d < DEVICES; d++) {
                    if ((second + d) % 20 == 0) {
                        DeviceId id = DeviceId.of("sensor-" + d);
                        detector.onPublish(id, "devices/" + id.value() + "/telemetry", reading());
                    }
                }
                if (blobs && second % 30 == 7) {
                    random.nextBytes(blob);
                    detector.onPublish(DeviceId.of("sensor-5"), "devices/sensor-5/telemetry", ByteBuffer.wrap(blob));
                }
                nanos += 1_000_000_000L;
            }
        }

        List<SecurityEvent> modelFindings() {
            return emitted.stream().filter(e -> e.type() == EventType.ANOMALY_DETECTED)
                    .filter(e -> "model".equals(e.details().get("rule"))).toList();
        }
    }

    private ByteBuffer reading() {
        String json = "{\"t\":" + (200 + random.nextInt(100)) + ",\"h\":" + random.nextInt(100) + ",\"seq\":"
                + random.nextInt(100000) + ",\"ok\":true}";
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void a_restored_detector_goes_on_finding_where_a_fresh_one_would_still_be_learning() throws Exception {
        Run before = new Run(1_000_000_000L, T0);
        before.run(150, false);
        assertThat(before.modelFindings()).isEmpty();
        Map<String, Double> featuresBefore = before.detector.features(DeviceId.of("sensor-0")).orElseThrow();
        byte[] checkpoint = before.detector.checkpoint();

        // Restarted five minutes later, on a process whose nanosecond clock starts elsewhere.
        Instant restartedAt = T0.plus(Duration.ofMinutes(5));
        Run restored = new Run(77_000_000_000_000L, restartedAt);
        assertThat(restored.detector.restore(checkpoint)).containsExactly(DEVICES, 1);
        Map<String, Double> featuresAfter = restored.detector.features(DeviceId.of("sensor-0")).orElseThrow();
        assertThat(featuresAfter.keySet()).isEqualTo(featuresBefore.keySet());
        // Counters carry over, decayed by the five minutes down: the hourly ones barely, the ten-second ones to zero.
        assertThat(featuresAfter.get("baseline_messages_per_s")).isCloseTo(featuresBefore.get("baseline_messages_per_s"),
                org.assertj.core.data.Percentage.withPercentage(10)).isLessThan(featuresBefore.get("baseline_messages_per_s"));
        assertThat(featuresAfter.get("mean_payload_bytes")).isEqualTo(featuresBefore.get("mean_payload_bytes"));

        restored.run(60, true);
        assertThat(restored.modelFindings()).as("found without a new learning period").isNotEmpty()
                .allSatisfy(e -> assertThat(e.device()).hasValue(DeviceId.of("sensor-5")));

        Run fresh = new Run(77_000_000_000_000L, restartedAt);
        fresh.run(60, true);
        assertThat(fresh.modelFindings()).as("a fresh detector is still learning").isEmpty();
    }

    /** Several instances: a device's session moves from A to B, and B continues from what A learned of it. */
    @Test
    void a_device_handed_to_another_instance_keeps_what_was_learned() throws Exception {
        Run a = new Run(1_000_000_000L, T0);
        a.run(150, false);
        DeviceId moving = DeviceId.of("sensor-3");
        Detector.DeviceState handed = a.detector.exportDevice(moving).orElseThrow();
        assertThat(handed.lastSeen()).as("when A last saw it").isBetween(T0.minusSeconds(20), T0);
        assertThat(a.detector.exportDevice(DeviceId.of("never-seen"))).isEmpty();

        Run b = new Run(77_000_000_000_000L, T0.plusSeconds(2)); // another process, its own nanosecond clock
        assertThat(b.detector.features(moving)).isEmpty();
        b.detector.onPublish(moving, "devices/sensor-3/telemetry", reading()); // before the state arrived
        b.detector.adoptDevice(moving, handed);
        Map<String, Double> before = a.detector.features(moving).orElseThrow();
        Map<String, Double> after = b.detector.features(moving).orElseThrow();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.get("baseline_messages_per_s")).isCloseTo(before.get("baseline_messages_per_s"),
                org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(after.get("mean_payload_bytes")).isEqualTo(before.get("mean_payload_bytes"));
        assertThat(b.detector.features(DeviceId.of("sensor-4"))).as("only the device handed over").isEmpty();

        assertThatThrownBy(() -> b.detector.adoptDevice(DeviceId.of("sensor-9"), new Detector.DeviceState(
                "{\"version\":1,\"taken_at\":0,\"devices\":{}}".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(60))))
                .hasMessageContaining("does not hold device sensor-9");
    }

    /** A new instance takes the cohort models another one learned and finds at once what that one would. */
    @Test
    void a_new_instance_takes_the_cohort_models_another_learned_and_keeps_its_own() throws Exception {
        Run a = new Run(1_000_000_000L, T0);
        a.run(150, false);
        byte[] cohorts = a.detector.exportCohorts();

        Run fresh = new Run(77_000_000_000_000L, T0.plusSeconds(5));
        assertThat(fresh.detector.adoptCohorts(cohorts)).as("the sensor cohort").isEqualTo(1);
        assertThat(fresh.detector.adoptCohorts(cohorts)).as("a model it has stays").isZero();
        for (int d = 0; d < DEVICES; d++) { // its devices arrive with their own states (the device handover)
            DeviceId id = DeviceId.of("sensor-" + d);
            fresh.detector.adoptDevice(id, a.detector.exportDevice(id).orElseThrow());
        }
        fresh.run(60, true);
        assertThat(fresh.modelFindings()).as("found without a new learning period").isNotEmpty()
                .allSatisfy(e -> assertThat(e.device()).hasValue(DeviceId.of("sensor-5")));
        assertThatThrownBy(() -> fresh.detector.adoptCohorts("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a version 1 detection checkpoint");
    }

    @Test
    void a_damaged_checkpoint_is_refused_whole_with_the_reason() throws Exception {
        Run before = new Run(1_000_000_000L, T0);
        before.run(5, false);
        String good = new String(before.detector.checkpoint(), StandardCharsets.UTF_8);
        Run restored = new Run(5_000_000_000L, T0);
        assertThatThrownBy(() -> restored.detector.restore("{\"version\":99}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a version 1 detection checkpoint");
        String broken = good.replaceFirst("\"rates\":\\{\"auth_failures\":\\[[^]]*]", "\"rates\":{\"auth_failures\":[1]");
        assertThat(broken).isNotEqualTo(good);
        assertThatThrownBy(() -> restored.detector.restore(broken.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unreadable detection checkpoint").hasMessageContaining("expected 3 numbers");
        assertThat(restored.detector.features(DeviceId.of("sensor-0"))).as("nothing half-restored").isEmpty();
        assertThatThrownBy(() -> restored.detector.restore("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class);
    }
}
