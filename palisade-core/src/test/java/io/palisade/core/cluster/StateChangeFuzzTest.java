package io.palisade.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever arrives on the bus: the notice parser answers a notice that round-trips, or refuses with a reason,
 * never anything else. Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-core
 * test -Dtest=StateChangeFuzzTest} fuzzes.
 */
class StateChangeFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyRecordGivesANoticeOrAReason(byte[] bytes) {
        try {
            StateChange change = StateChange.parse(bytes);
            assertThat(StateChange.parse(change.toJson())).isEqualTo(change);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
