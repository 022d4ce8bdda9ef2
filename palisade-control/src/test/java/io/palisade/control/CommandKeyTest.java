package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandKeyTest {

    @TempDir
    Path dir;

    static SecretBytes passphrase(String text) {
        return SecretBytes.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void the_command_key_is_encrypted_at_rest_and_opens_only_with_the_passphrase() throws Exception {
        CommandKey created = CommandKey.loadOrCreate(dir, passphrase("data dir secret"));
        Path keyFile = dir.resolve("commands/command.key");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Processes.run(dir, "openssl", "pkey", "-in", keyFile.toString(), "-passin", "pass:data dir secret",
                "-noout").exitCode()).isZero();
        assertThat(CommandKey.loadOrCreate(dir, passphrase("data dir secret")).publicKey()).isEqualTo(created.publicKey());
        assertThatThrownBy(() -> CommandKey.loadOrCreate(dir, passphrase("wrong"))).hasMessageContaining("cannot decrypt");
    }

    @Test
    void a_command_key_an_earlier_version_wrote_unencrypted_is_encrypted_at_the_next_start() throws Exception {
        var pair = KeyPairs.newP256();
        Files.createDirectories(dir.resolve("commands"));
        Pem.writePrivateKey(dir.resolve("commands/command.key"), pair.getPrivate());
        Pem.writePublicKey(dir.resolve("commands/command.pem"), pair.getPublic());

        CommandKey loaded = CommandKey.loadOrCreate(dir, passphrase("data dir secret"));
        assertThat(((java.security.interfaces.ECPrivateKey) loaded.privateKey()).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS());
        assertThat(Pem.isEncryptedPrivateKey(dir.resolve("commands/command.key"))).isTrue();
    }
}
