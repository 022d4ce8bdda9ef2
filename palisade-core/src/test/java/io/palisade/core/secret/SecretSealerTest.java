package io.palisade.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A sealed secret opens only under its key and its context, and never shows in the sealed bytes. */
class SecretSealerTest {

    private final SecretSealer sealer = new SecretSealer(SecretSealer.newKey());
    private final byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_sealed_secret_opens_with_its_key_and_context() {
        byte[] sealed = sealer.seal(secret, "psk:sensor-1");
        try (SecretBytes opened = sealer.open(sealed, "psk:sensor-1")) {
            assertThat(opened.copy()).isEqualTo(secret);
        }
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("0123456789abcdef");
        assertThat(sealer.seal(secret, "psk:sensor-1")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void another_context_another_key_or_an_altered_byte_does_not_open() {
        byte[] sealed = sealer.seal(secret, "psk:sensor-1");
        assertThatThrownBy(() -> sealer.open(sealed, "psk:sensor-2")).hasMessageContaining("does not open");
        assertThatThrownBy(() -> new SecretSealer(SecretSealer.newKey()).open(sealed, "psk:sensor-1"))
                .hasMessageContaining("does not open");
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> sealer.open(altered, "psk:sensor-1")).hasMessageContaining("does not open");
        assertThatThrownBy(() -> sealer.open(new byte[5], "psk:sensor-1")).hasMessageContaining("at least");
        assertThatThrownBy(() -> new SecretSealer(new byte[16])).hasMessageContaining("32 bytes");
    }
}
