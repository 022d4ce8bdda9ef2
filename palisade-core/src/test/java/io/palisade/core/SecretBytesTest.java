package io.palisade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBytesTest {

    @Test
    void close_zeroes_the_owned_array_and_blocks_further_use() {
        byte[] owned = "hunter2".getBytes(StandardCharsets.US_ASCII);
        SecretBytes secret = SecretBytes.wrap(owned);
        secret.close();
        assertThat(owned).containsOnly(0);
        assertThatThrownBy(secret::copy).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void to_string_never_shows_the_secret() {
        try (SecretBytes secret = SecretBytes.copyOf("pet_abc".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(secret.toString()).doesNotContain("pet_abc").contains("hidden");
        }
    }

    @Test
    void chars_round_trip_through_utf8() {
        try (SecretBytes secret = SecretBytes.fromChars("pässwörd".toCharArray())) {
            assertThat(new String(secret.toChars())).isEqualTo("pässwörd");
        }
    }

    @Test
    void tokens_are_prefixed_random_and_verified_by_salted_hash() {
        OneTimeTokens tokens = new OneTimeTokens();
        try (SecretBytes a = tokens.newToken(OneTimeTokens.ENROLLMENT_PREFIX, 24);
             SecretBytes b = tokens.newToken(OneTimeTokens.ENROLLMENT_PREFIX, 24)) {
            assertThat(new String(a.copy(), StandardCharsets.US_ASCII)).startsWith("pet_").hasSize(4 + 32);
            assertThat(a.contentEquals(b.copy())).isFalse();
            byte[] salt = tokens.newSalt();
            byte[] hash = OneTimeTokens.hash(salt, a);
            assertThat(OneTimeTokens.matches(salt, hash, a)).isTrue();
            assertThat(OneTimeTokens.matches(salt, hash, b)).isFalse();
            assertThat(OneTimeTokens.matches(tokens.newSalt(), hash, a)).as("salt matters").isFalse();
        }
    }
}
