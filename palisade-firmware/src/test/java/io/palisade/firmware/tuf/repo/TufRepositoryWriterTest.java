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

    @TempDir
    Path dir;

    private TufClient client(byte[] trustedRoot) throws Exception {
        return new TufClient(new DirectoryRepository(dir.resolve("repo")), trustedRoot, TufClient.TrustedState.NONE,
                Clock.systemUTC());
    }

    @Test
    void init_add_publish_and_rotate_keys_keep_clients_updating() throws Exception {
        TufRepositoryWriter repo = new TufRepositoryWriter(dir.resolve("repo"), Clock.systemUTC());
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
        TufRepositoryWriter repo = new TufRepositoryWriter(dir.resolve("repo"), clock);
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
        TufRepositoryWriter repo = new TufRepositoryWriter(dir.resolve("repo"), Clock.systemUTC());
        repo.init();
        Path file = Files.writeString(dir.resolve("x"), "x");
        assertThatThrownBy(() -> repo.addTarget(file, "../escape")).hasMessageContaining("target name");
        assertThatThrownBy(() -> repo.addTarget(file, "/etc/passwd")).hasMessageContaining("target name");
        assertThatThrownBy(repo::init).hasMessageContaining("already exists");
        assertThatThrownBy(() -> repo.rotateKey("admin")).hasMessageContaining("unknown role");
    }
}
