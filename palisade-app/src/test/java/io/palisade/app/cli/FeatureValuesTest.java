package io.palisade.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/** `palisade detect features` prints values a person can read; --json keeps every digit. */
class FeatureValuesTest {

    private static String readable(double value) {
        return DetectCommand.readable(JsonNodeFactory.instance.numberNode(value));
    }

    @Test
    void values_are_printed_to_three_significant_digits_and_whole_numbers_as_such() {
        assertThat(readable(0.2765791670904915)).isEqualTo("0.277");
        assertThat(readable(14.798120504506931)).isEqualTo("14.8");
        assertThat(readable(8.331451531234711E-4)).isEqualTo("0.000833");
        assertThat(readable(2.0)).isEqualTo("2");
        assertThat(readable(0.0)).isEqualTo("0");
        assertThat(readable(123456.7)).isEqualTo("123000");
    }
}
