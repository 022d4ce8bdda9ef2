package io.palisade.pki.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A quote swtpm made (tpm2_quote over nonce 00112233…eeff, PCR 9 of the SHA-256 bank), and damaged copies of it. */
class TpmQuoteTest {

    private static final byte[] QUOTE = HexFormat.of().parseHex("ff54434780180022000bb265b59d8426b42a04e9baacf3bec2743bd3"
            + "ebd931d84f73065dd51b929450af001000112233445566778899aabbccddeeff00000000000790f32b24e4cb87716d8301afd12df0"
            + "a422626500000001000b03000200002002dfa311a6e1e44e445ce44fee4a3a38df03885bf1cd166ab0701373762dca8b");

    @Test
    void a_quote_gives_its_nonce_pcrs_and_digest() {
        TpmQuote quote = TpmQuote.parse(QUOTE);
        assertThat(HexFormat.of().formatHex(quote.extraData())).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(quote.pcrs()).containsExactly(9);
        assertThat(quote.clock()).isEqualTo(0x790f3);
        assertThat(HexFormat.of().formatHex(quote.pcrDigest())).startsWith("02dfa311");
        assertThat(quote.signerName()).hasSize(34);
    }

    @Test
    void damaged_quotes_are_refused_with_the_reason() {
        byte[] magic = QUOTE.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> TpmQuote.parse(magic)).hasMessageContaining("TPM_GENERATED");
        byte[] type = QUOTE.clone();
        type[5] = 0x17; // TPM_ST_ATTEST_CERTIFY
        assertThatThrownBy(() -> TpmQuote.parse(type)).hasMessageContaining("not a quote");
        assertThatThrownBy(() -> TpmQuote.parse(java.util.Arrays.copyOf(QUOTE, 100))).hasMessageContaining("cut short");
        assertThatThrownBy(() -> TpmQuote.parse(java.util.Arrays.copyOf(QUOTE, QUOTE.length + 1)))
                .hasMessageContaining("after the quote");
        byte[] bank = QUOTE.clone();
        bank[0x5a] = 0x04; // SHA-1
        assertThatThrownBy(() -> TpmQuote.parse(bank)).hasMessageContaining("not SHA-256");
        assertThatThrownBy(() -> TpmQuote.parse(new byte[2000])).hasMessageContaining("at most");
    }
}
