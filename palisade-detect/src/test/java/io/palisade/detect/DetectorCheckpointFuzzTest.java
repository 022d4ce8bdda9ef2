package io.palisade.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Fuzz target for a detection checkpoint read back at start (a file that a crash, a full disk or a hand
 * can damage): restoring returns, or throws {@link IOException} naming why; anything else is a finding.
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-detect test -Dtest=DetectorCheckpointFuzzTest} fuzzes for real.
 */
class DetectorCheckpointFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void restoring_never_fails_other_than_by_refusing(byte[] input) {
        long[] nanos = {1_000_000_000L};
        Detector detector = new Detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofHours(1)),
                (device, reason) -> { }, event -> { }, Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"),
                ZoneOffset.UTC), () -> nanos[0], id -> DeviceScope.DEFAULT, Runnable::run, 5);
        try {
            detector.restore(input);
            detector.checkpoint(); // what was restored can be saved again
        } catch (IOException expected) {
            // A refusal naming the damage is the correct outcome.
        } finally {
            detector.close();
        }
    }
}
