package io.palisade.firmware.boot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.firmware.image.ImageFormatException;

/**
 * Fuzz target for key rotation statements: parsing returns a statement or throws
 * {@link ImageFormatException}; anything else is a finding. Saved inputs replay in normal runs;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-firmware test -Dtest=KeyRotationFuzzTest} fuzzes for real.
 */
class KeyRotationFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_never_fails_other_than_by_rejecting(byte[] statement) {
        try {
            KeyRotation.parse(statement);
        } catch (ImageFormatException expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
