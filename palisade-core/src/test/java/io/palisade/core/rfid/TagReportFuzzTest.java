package io.palisade.core.rfid;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.core.device.DeviceId;
import java.time.Instant;

/**
 * Whatever a reader publishes: the report parser answers sightings of valid tokens or refuses with a reason, never
 * anything else. Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-core test
 * -Dtest=TagReportFuzzTest} fuzzes.
 */
class TagReportFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyReportGivesSightingsOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            var sightings = TagReport.parse(DeviceId.of("reader-a"), bytes, Instant.EPOCH);
            assertThat(sightings.size()).isLessThanOrEqualTo(TagReport.MAX_TAGS);
            sightings.forEach(s -> assertThat(s.token().hex()).hasSize(24));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
