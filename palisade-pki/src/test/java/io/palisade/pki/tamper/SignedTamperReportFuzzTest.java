package io.palisade.pki.tamper;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever arrives on a device's tamper channel: the envelope and the report inside answer a report or refuse with a
 * {@link SignedTamperReport.Refused} that says why, never anything else. Replayed over saved inputs in every test run;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-pki test -Dtest=SignedTamperReportFuzzTest} fuzzes.
 */
class SignedTamperReportFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAReportOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            SignedTamperReport.Opened opened = SignedTamperReport.open(bytes);
            assertThat(opened.report().counter()).isPositive();
        } catch (SignedTamperReport.Refused e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            io.palisade.core.tamper.TamperReport.parse(bytes);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
