package io.palisade.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted keys written by openssl, the independent implementation, decrypt to the same key: PBES2 with each
 * PRF and AES size through {@link Pbes2Decryption}, PBES1 schemes through Bouncy Castle's provider.
 */
class Pbes2DecryptionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"-v2 aes-256-cbc -v2prf hmacWithSHA256", "-v2 aes-128-cbc -v2prf hmacWithSHA512",
            "-v2 aes-192-cbc -v2prf hmacWithSHA1", "-v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1"})
    void openssl_pbes2_keys_decrypt_to_the_same_key(String scheme) throws Exception {
        KeyPair keys = KeyPairs.newP256();
        Path encrypted = opensslEncrypted(keys, scheme);
        assertThat(Pem.readEncryptedPrivateKey(encrypted, secret("pass phrase"))).isEqualTo(keys.getPrivate());
        assertThatThrownBy(() -> Pem.readEncryptedPrivateKey(encrypted, secret("pass phrasE")))
                .hasMessageContaining("wrong CA passphrase");
    }

    @Test
    void schemes_it_does_not_handle_still_decrypt_through_bouncy_castle() throws Exception {
        KeyPair keys = KeyPairs.newP256();
        Path encrypted = opensslEncrypted(keys, "-v1 PBE-SHA1-3DES");
        assertThat(Pem.readEncryptedPrivateKey(encrypted, secret("pass phrase"))).isEqualTo(keys.getPrivate());
    }

    @Test
    void an_absurd_iteration_count_is_refused_instead_of_run() throws Exception {
        Path encrypted = opensslEncrypted(KeyPairs.newP256(), "-v2 aes-256-cbc -v2prf hmacWithSHA256 -iter "
                + (Pbes2Decryption.MAX_ITERATIONS + 1));
        var info = (org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) new org.bouncycastle.openssl.PEMParser(
                java.nio.file.Files.newBufferedReader(encrypted)).readObject();
        assertThatThrownBy(() -> Pbes2Decryption.decrypt(info, "pass phrase".toCharArray()))
                .hasMessageContaining("iteration count 10000001 is outside 1..10000000");
    }

    private Path opensslEncrypted(KeyPair keys, String scheme) throws Exception {
        Path plain = dir.resolve("plain.pem");
        Pem.writePrivateKey(plain, keys.getPrivate());
        Path out = dir.resolve("encrypted-" + Math.abs(scheme.hashCode()) + ".pem");
        List<String> command = new ArrayList<>(List.of("openssl", "pkcs8", "-topk8", "-in", plain.toString(),
                "-out", out.toString(), "-passout", "pass:pass phrase"));
        command.addAll(List.of(scheme.split(" ")));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        return out;
    }

    private static SecretBytes secret(String text) {
        return SecretBytes.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
