package io.palisade.control.service;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the change field of throttle notices (read off the shared state topic): parsing returns a
 * throttle or throws IllegalArgumentException with the reason; anything else is a finding.
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-control test -Dtest=ThrottleChangeFuzzTest} fuzzes.
 */
class ThrottleChangeFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_never_fails_other_than_by_rejecting(String change) {
        try {
            ThrottleChange.parse(change);
        } catch (IllegalArgumentException expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
