package io.palisade.pki.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever a device sends as its quote: the TPMS_ATTEST parser answers a quote or refuses with an
 * {@link IllegalArgumentException} that says why, never anything else. Replayed over saved inputs in every test run;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-pki test -Dtest=TpmQuoteFuzzTest} fuzzes.
 */
class TpmQuoteFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAQuoteOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            TpmQuote quote = TpmQuote.parse(bytes);
            assertThat(quote.pcrDigest()).hasSize(32);
            assertThat(quote.pcrs()).allSatisfy(pcr -> assertThat(pcr).isBetween(0, 31));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
