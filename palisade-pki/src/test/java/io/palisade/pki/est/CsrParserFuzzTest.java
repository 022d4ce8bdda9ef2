package io.palisade.pki.est;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for everything an enrolling client controls in a CSR body. The parser must either
 * return a request or throw {@link CsrRejectedException}; any other exception is a finding.
 *
 * <p>Normal test runs replay the saved inputs under {@code src/test/resources/.../CsrParserFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-pki test -Dtest=CsrParserFuzzTest} fuzzes for real.
 */
class CsrParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_never_fails_other_than_by_rejecting(byte[] body) {
        try {
            CsrParser.parse(body);
        } catch (CsrRejectedException expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
