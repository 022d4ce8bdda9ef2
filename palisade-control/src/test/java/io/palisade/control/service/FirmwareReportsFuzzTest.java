package io.palisade.control.service;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for device update reports (MQTT payloads): parsing returns a report or throws
 * IllegalArgumentException with the reason; anything else is a finding. Saved inputs replay in
 * normal runs; {@code JAZZER_FUZZ=1 mvn -pl palisade-control test -Dtest=FirmwareReportsFuzzTest} fuzzes.
 */
class FirmwareReportsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_never_fails_other_than_by_rejecting(byte[] payload) {
        try {
            FirmwareReports.parse(payload);
        } catch (IllegalArgumentException expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
