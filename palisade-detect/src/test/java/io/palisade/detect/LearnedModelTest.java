package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The learned model on a small cohort in simulated time: quiet while devices behave, a finding that
 * names the feature and the cohort's normal range when one device starts sending encrypted data,
 * and no finding when the whole cohort changes at once.
 */
class LearnedModelTest {

    private static final int DEVICES = 24;
    private final List<SecurityEvent> emitted = new CopyOnWriteArrayList<>();
    private long nanos = 1_000_000_000L;
    private final Random random = new Random(11);
    private final Detector detector = new Detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofHours(1))
            .withSampleInterval(Duration.ofSeconds(30)), (device, reason) -> { }, emitted::add,
            Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC), () -> nanos,
            id -> new DeviceScope("sensor", "north"), Runnable::run, 5);

    private static ByteBuffer reading(Random random) {
        String json = "{\"t\":" + (200 + random.nextInt(100)) + ",\"h\":" + random.nextInt(100) + ",\"seq\":"
                + random.nextInt(100000) + ",\"ok\":true}";
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.US_ASCII));
    }

    /** Runs the cohort for {@code minutes}: each device publishes a reading every 20 s; {@code extra} adds traffic. */
    private void run(int minutes, java.util.function.IntConsumer extra) {
        for (int second = 0; second < minutes * 60; second++) {
            for (int d = 0; d < DEVICES; d++) {
                if ((second + d) % 20 == 0) {
                    DeviceId id = DeviceId.of("sensor-" + d);
                    detector.onPublish(id, "devices/" + id.value() + "/telemetry", reading(random));
                }
            }
            extra.accept(second);
            nanos += 1_000_000_000L;
        }
    }

    private List<SecurityEvent> modelFindings() {
        return emitted.stream().filter(e -> e.type() == EventType.ANOMALY_DETECTED)
                .filter(e -> "model".equals(e.details().get("rule"))).toList();
    }

    @Test
    void a_device_that_starts_sending_encrypted_data_is_found_with_the_feature_and_the_normal_range() {
        run(150, s -> { });
        assertThat(modelFindings()).as("normal traffic after learning").isEmpty();
        byte[] blob = new byte[1500];
        run(60, second -> {
            if (second % 30 == 7) {
                random.nextBytes(blob);
                detector.onPublish(DeviceId.of("sensor-5"), "devices/sensor-5/telemetry", ByteBuffer.wrap(blob));
            }
        });
        assertThat(modelFindings()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.device()).hasValue(DeviceId.of("sensor-5"));
            // Every feature the blobs move: their size, their entropy, and the device's own share of the
            // cohort's messages and bytes (a blob every 30 s on top of a reading every 20 s).
            assertThat(e.message()).containsAnyOf("mean_payload_bytes", "bytes_per_10min", "payload_entropy_bits",
                            "messages_vs_own_share", "bytes_vs_own_share")
                    .contains("above the normal range of profile 'sensor'").contains("5th to 95th percentile");
        });
        assertThat(detector.peakScores(DeviceId.of("sensor-5")).orElseThrow().model())
                .isGreaterThan(detector.peakScores(DeviceId.of("sensor-6")).orElseThrow().model());
    }

    @Test
    void a_change_of_the_whole_cohort_is_learned_not_flagged() {
        run(150, s -> { });
        byte[] blob = new byte[400];
        run(60, second -> { // new firmware: every device adds a 400-byte binary status every 30 s
            for (int d = 0; d < DEVICES; d++) {
                if ((second + d) % 30 == 0) {
                    random.nextBytes(blob);
                    detector.onPublish(DeviceId.of("sensor-" + d), "devices/sensor-" + d + "/telemetry",
                            ByteBuffer.wrap(blob));
                }
            }
        });
        // Without the fleet-wide-change rule and the typical-score bar this raised 48 findings.
        assertThat(modelFindings()).isEmpty();
    }

    @Test
    void a_device_adding_a_little_traffic_of_its_own_to_a_bulky_cohort_that_swings_is_found_by_its_share() {
        // Cameras: 1.5-6 KB of encrypted-looking data every 6 s on average, the whole cohort three times as busy
        // at the top of a two-hour cycle as at its bottom. One of them adds 2 KB every 30 s (about a fifth
        // more messages): inside the cohort's range at every hour, but not inside its own share of it.
        long[] next = new long[DEVICES];
        byte[] frame = new byte[6000];
        long cycle = Duration.ofHours(2).toSeconds();
        for (int second = 0; second < 5 * 3600; second++) {
            double busy = 2 + Math.sin(2 * Math.PI * second / cycle);
            for (int d = 0; d < DEVICES; d++) {
                if (second >= next[d]) {
                    DeviceId id = DeviceId.of("camera-" + d);
                    random.nextBytes(frame);
                    detector.onPublish(id, "devices/" + id.value() + "/frames",
                            ByteBuffer.wrap(frame, 0, 1500 + random.nextInt(4500)));
                    next[d] = second + Math.round(6 / busy * (0.7 + 0.6 * random.nextDouble())) + 1;
                }
            }
            if (second >= 3 * 3600 && second % 30 == 11) {
                random.nextBytes(frame);
                detector.onPublish(DeviceId.of("camera-5"), "devices/camera-5/frames", ByteBuffer.wrap(frame, 0, 2048));
            }
            if (second == 3 * 3600) {
                assertThat(modelFindings()).as("before the drip").isEmpty();
            }
            nanos += 1_000_000_000L;
        }
        assertThat(modelFindings()).as("findings of the drip").isNotEmpty().allSatisfy(e -> {
            assertThat(e.device()).hasValue(DeviceId.of("camera-5"));
            assertThat(e.message()).containsAnyOf("messages_vs_own_share", "bytes_vs_own_share");
        });
    }
}
