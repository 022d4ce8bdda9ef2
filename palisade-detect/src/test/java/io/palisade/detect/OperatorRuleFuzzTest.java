package io.palisade.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for operator rules as they arrive through the API or come back from the store: parsing
 * returns a rule or throws {@link IllegalArgumentException} naming the problem; anything else is a
 * finding. {@code JAZZER_FUZZ=1 mvn -pl palisade-detect test -Dtest=OperatorRuleFuzzTest} fuzzes for real.
 */
class OperatorRuleFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parsing_never_fails_other_than_by_refusing(byte[] input) {
        try {
            OperatorRule rule = OperatorRule.fromJson(new String(input, StandardCharsets.UTF_8));
            OperatorRule again = OperatorRule.fromJson(rule.toJson().toString());
            if (!again.equals(rule)) {
                throw new IllegalStateException("a rule does not survive its own JSON form: " + rule);
            }
        } catch (IllegalArgumentException expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
