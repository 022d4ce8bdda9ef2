package io.palisade.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    @Test
    void encrypted_key_round_trips_is_0600_and_openssl_reads_it_with_the_passphrase() throws Exception {
        KeyPair keys = KeyPairs.newP256();
        Path file = dir.resolve("ca.key");
        Pem.writeEncryptedPrivateKey(file, keys.getPrivate(), secret("correct horse"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(Pem.readEncryptedPrivateKey(file, secret("correct horse"))).isEqualTo(keys.getPrivate());

        Process openssl = new ProcessBuilder("openssl", "pkey", "-in", file.toString(), "-passin",
                "pass:correct horse", "-noout").redirectErrorStream(true).start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void wrong_passphrase_gives_a_clear_error() throws Exception {
        Path file = dir.resolve("ca.key");
        Pem.writeEncryptedPrivateKey(file, KeyPairs.newP256().getPrivate(), secret("right"));
        assertThatThrownBy(() -> Pem.readEncryptedPrivateKey(file, secret("wrong")))
                .hasMessageContaining("wrong CA passphrase");
    }

    @Test
    void plain_key_is_0600_and_not_readable_as_certificate() throws Exception {
        Path file = dir.resolve("k.pem");
        Pem.writePrivateKey(file, KeyPairs.newP256().getPrivate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> Pem.readCertificates(file)).hasMessageContaining("where a certificate was expected");
    }

    @Test
    void the_light_reader_reads_what_the_full_one_reads_and_refuses_the_same_files() throws Exception {
        TestCa test = new TestCa();
        Path chain = dir.resolve("chain.pem");
        Pem.writeCertificates(chain, test.ca.chain());
        assertThat(TrustAnchors.read(chain)).isEqualTo(Pem.readCertificates(chain)).hasSize(2);

        Path key = dir.resolve("k.pem");
        Pem.writePrivateKey(key, KeyPairs.newP256().getPrivate());
        assertThatThrownBy(() -> TrustAnchors.read(key)).hasMessageContaining("where a certificate was expected");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> TrustAnchors.read(empty)).hasMessageContaining("holds no PEM certificate");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TrustAnchors.read(broken)).hasMessageContaining("unreadable certificate");
    }

    private static SecretBytes secret(String text) {
        return SecretBytes.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
