package io.palisade.firmware.tuf.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.firmware.tuf.DirectoryRepository;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.TufException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository written by Palisade is accepted by the TUF client that agrees with python-tuf's vectors. */
class TufRepositoryWriterTest {

    static final io.palisade.core.secret.SecretBytes PASSPHRASE =
            io.palisade.core.secret.SecretBytes.wrap("test key passphrase".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    private TufClient client(byte[] trustedRoot) throws Exception {
        return new TufClient(new DirectoryRepository(dir.resolve("repo")), trustedRoot, TufClient.TrustedState.NONE,
                Clock.systemUTC());
    }

    @Test
    void init_add_publish_and_rotate_keys_keep_clients_updating() throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        byte[] trustedRoot = Files.readAllBytes(repo.metadataDir().resolve("1.root.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("repo/keys/root.pem"))))
                .isEqualTo("rw-------");

        Path image = dir.resolve("sensor-1.0.0.img");
        Files.write(image, "firmware bytes".getBytes());
        repo.addTarget(image, "firmware/sensor-1.0.0.img");
        assertThat(repo.publish()).isEqualTo(2);
        TufClient client = client(trustedRoot);
        assertThat(client.refresh().targetsVersion()).isEqualTo(2);
        assertThat(client.download("firmware/sensor-1.0.0.img")).isEqualTo("firmware bytes".getBytes());

        assertThat(repo.rotateKey("timestamp")).isEqualTo(2);
        assertThat(repo.rotateKey("root")).isEqualTo(3);
        TufClient later = client(trustedRoot);
        later.refresh();
        assertThat(later.rootVersion()).isEqualTo(3);
        assertThat(later.download("firmware/sensor-1.0.0.img")).isEqualTo("firmware bytes".getBytes());

        Files.write(repo.targetsDir().resolve("firmware/sensor-1.0.0.img"), "evil".getBytes());
        assertThatThrownBy(() -> later.download("firmware/sensor-1.0.0.img")).isInstanceOf(TufException.class);
    }

    @Test
    void the_timestamp_is_re_signed_before_it_expires_so_devices_are_not_frozen_out() throws Exception {
        io.palisade.core.time.ManualClock clock = new io.palisade.core.time.ManualClock(java.time.Instant.now());
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), clock, PASSPHRASE);
        repo.init();
        byte[] trustedRoot = Files.readAllBytes(repo.metadataDir().resolve("1.root.json"));
        assertThat(repo.refreshTimestamp(java.time.Duration.ofDays(2))).as("fresh: nothing to do").isFalse();
        clock.advance(java.time.Duration.ofDays(6));
        assertThat(repo.refreshTimestamp(java.time.Duration.ofDays(2))).isTrue();
        clock.advance(java.time.Duration.ofDays(3));
        TufClient device = new TufClient(new DirectoryRepository(dir.resolve("repo")), trustedRoot,
                TufClient.TrustedState.NONE, clock);
        assertThat(device.refresh().timestampVersion()).as("9 days after publishing, still valid").isEqualTo(2);
    }

    @Test
    void target_names_cannot_leave_the_repository_and_init_does_not_overwrite() throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        Path file = Files.writeString(dir.resolve("x"), "x");
        assertThatThrownBy(() -> repo.addTarget(file, "../escape")).hasMessageContaining("target name");
        assertThatThrownBy(() -> repo.addTarget(file, "/etc/passwd")).hasMessageContaining("target name");
        assertThatThrownBy(repo::init).hasMessageContaining("already exists");
        assertThatThrownBy(() -> repo.rotateKey("admin")).hasMessageContaining("unknown role");
    }

    @Test
    void role_keys_are_encrypted_at_rest_and_openssl_opens_them_only_with_the_passphrase() throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        for (String role : TufRepositoryWriter.ROLES) {
            Path key = dir.resolve("repo/keys/" + role + ".pem");
            assertThat(io.palisade.firmware.image.FirmwareKeys.isEncrypted(key)).as(role).isTrue();
            assertThat(openssl("pkey", "-in", key.toString(), "-passin", "pass:test key passphrase", "-noout"))
                    .as("openssl with the passphrase, " + role).isZero();
            assertThat(openssl("pkey", "-in", key.toString(), "-passin", "pass:wrong", "-noout"))
                    .as("openssl with a wrong passphrase, " + role).isNotZero();
        }
    }

    @Test
    void keys_an_earlier_version_wrote_unencrypted_are_encrypted_at_first_use() throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        byte[] trustedRoot = Files.readAllBytes(repo.metadataDir().resolve("1.root.json"));
        Path timestampKey = dir.resolve("repo/keys/timestamp.pem");
        io.palisade.firmware.image.FirmwareKeys.write(
                io.palisade.firmware.image.FirmwareKeys.readEncrypted(timestampKey, PASSPHRASE), timestampKey);
        assertThat(io.palisade.firmware.image.FirmwareKeys.isEncrypted(timestampKey)).isFalse();

        TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE).publish();
        assertThat(io.palisade.firmware.image.FirmwareKeys.isEncrypted(timestampKey)).isTrue();
        assertThat(client(trustedRoot).refresh().timestampVersion()).isEqualTo(2);
    }

    @Test
    void with_an_external_root_key_the_repository_publishes_without_it_and_signs_root_only_with_it() throws Exception {
        Path offline = dir.resolve("offline/root.pem");
        var rootPassphrase = io.palisade.core.secret.SecretBytes.wrap("root secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        TufKeyring.ExternalRootKey external = new TufKeyring.ExternalRootKey(offline, () ->
                io.palisade.core.secret.SecretBytes.copyOf(rootPassphrase.copy()));
        Path repoDir = dir.resolve("repo");
        new TufRepositoryWriter(repoDir, Clock.systemUTC(), new TufKeyring(repoDir.resolve("keys"), PASSPHRASE,
                java.util.Optional.of(external))).init();
        assertThat(repoDir.resolve("keys/root.pem")).doesNotExist();
        assertThat(repoDir.resolve("keys/root.pub.pem")).exists();
        assertThat(io.palisade.firmware.image.FirmwareKeys.isEncrypted(offline)).isTrue();
        byte[] trustedRoot = Files.readAllBytes(repoDir.resolve("metadata/1.root.json"));

        TufRepositoryWriter online = TufRepositoryWriter.withKeysInside(repoDir, Clock.systemUTC(), PASSPHRASE);
        Files.write(dir.resolve("a.img"), "image a".getBytes());
        online.addTarget(dir.resolve("a.img"), "firmware/a.img");
        assertThat(online.publish()).as("publishing needs no root key").isEqualTo(2);
        assertThatThrownBy(() -> online.rotateKey("targets")).hasMessageContaining("give it with --root-key");

        Path stranger = dir.resolve("stranger.pem");
        io.palisade.firmware.image.FirmwareKeys.writeEncrypted(io.palisade.firmware.image.FirmwareKeys.generate(
                io.palisade.firmware.image.FirmwareKeys.Type.ECDSA_P256), stranger, rootPassphrase);
        TufRepositoryWriter wrongRoot = new TufRepositoryWriter(repoDir, Clock.systemUTC(), new TufKeyring(
                repoDir.resolve("keys"), PASSPHRASE, java.util.Optional.of(new TufKeyring.ExternalRootKey(stranger,
                () -> io.palisade.core.secret.SecretBytes.copyOf(rootPassphrase.copy())))));
        assertThatThrownBy(() -> wrongRoot.rotateKey("targets")).hasMessageContaining("is not this repository's root key");

        TufRepositoryWriter withRoot = new TufRepositoryWriter(repoDir, Clock.systemUTC(), new TufKeyring(
                repoDir.resolve("keys"), PASSPHRASE, java.util.Optional.of(external)));
        assertThat(withRoot.rotateKey("targets")).isEqualTo(2);
        assertThat(withRoot.rotateKey("root")).isEqualTo(3);
        assertThat(repoDir.resolve("keys/root.pem")).as("the new root key stays outside too").doesNotExist();
        TufClient device = client(trustedRoot);
        device.refresh();
        assertThat(device.rootVersion()).isEqualTo(3);
        assertThat(device.download("firmware/a.img")).isEqualTo("image a".getBytes());
    }

    private static int openssl(String... arguments) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
