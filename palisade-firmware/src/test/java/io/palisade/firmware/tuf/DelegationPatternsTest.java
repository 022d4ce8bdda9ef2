package io.palisade.firmware.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TUF path patterns match segment by segment, as python-tuf matches them. */
class DelegationPatternsTest {

    @ParameterizedTest
    @CsvSource({
            "firmware/vendor-a/*, firmware/vendor-a/meter.img, true",
            "firmware/vendor-a/*, firmware/vendor-a/sub/meter.img, false",
            "firmware/*/meter-?.img, firmware/x/meter-2.img, true",
            "firmware/*/meter-?.img, firmware/x/meter-10.img, false",
            "firmware/[ab]*/x, firmware/beta/x, true",
            "firmware/[!ab]*/x, firmware/beta/x, false",
            "firmware/[a-c]/x, firmware/b/x, true",
            "*.img, firmware/x.img, false",
            "firmware/x.img, firmware/xximg, false",
    })
    void patterns(String pattern, String path, boolean expected) {
        assertThat(Delegations.matches(pattern, path)).isEqualTo(expected);
    }
}
