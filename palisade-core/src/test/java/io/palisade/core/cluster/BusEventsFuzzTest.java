package io.palisade.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.core.event.SecurityEvent;

/**
 * Whatever the shared event log holds: decoding answers an event that round-trips, or refuses with a reason, never
 * anything else. Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-core test
 * -Dtest=BusEventsFuzzTest} fuzzes.
 */
class BusEventsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyRecordGivesAnEventOrAReason(byte[] bytes) {
        try {
            SecurityEvent event = BusEvents.decode(bytes);
            assertThat(BusEvents.decode(BusEvents.encode(event))).isEqualTo(event.withId(0));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
