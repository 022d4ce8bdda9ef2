package io.palisade.firmware.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per attack of the TUF threat model that the vectors do not already stage. */
class TufAttacksTest {

    @TempDir
    Path dir;

    private TestRepository repo;
    private KeyPair rootKey;
    private KeyPair timestampKey;
    private KeyPair snapshotKey;
    private KeyPair targetsKey;
    private final byte[] firmware = "signed firmware image".getBytes();

    @BeforeEach
    void goodRepository() throws Exception {
        repo = new TestRepository(dir);
        rootKey = TestRepository.newKey();
        timestampKey = TestRepository.newKey();
        snapshotKey = TestRepository.newKey();
        targetsKey = TestRepository.newKey();
        repo.write("1.root.json", repo.root(1, List.of(rootKey), 1, List.of(timestampKey), List.of(snapshotKey),
                List.of(targetsKey), 1), rootKey);
        publish(3, 3, 3);
    }

    private void publish(long timestamp, long snapshot, long targets) throws Exception {
        repo.write("timestamp.json", repo.timestamp(timestamp, snapshot, TestRepository.FUTURE), timestampKey);
        repo.write("snapshot.json", repo.snapshot(snapshot, targets), snapshotKey);
        repo.write("targets.json", repo.targets(targets, firmware), targetsKey);
    }

    private TufClient client(TufClient.TrustedState trusted) throws Exception {
        return new TufClient(new DirectoryRepository(dir), repo.read("1.root.json"), trusted, Clock.systemUTC());
    }

    @Test
    void the_staged_repository_is_good() throws Exception {
        TufClient client = client(TufClient.TrustedState.NONE);
        assertThat(client.refresh()).isEqualTo(new TufClient.TrustedState(3, 3, 3));
        assertThat(client.download("firmware/app.img")).isEqualTo(firmware);
    }

    @Test
    void rollback_attack_is_rejected() throws Exception {
        assertThatThrownBy(() -> client(new TufClient.TrustedState(5, 5, 5)).refresh())
                .hasMessageContaining("rollback attack");
        assertThatThrownBy(() -> client(new TufClient.TrustedState(3, 3, 4)).refresh())
                .as("targets rolled back behind a fresh timestamp").hasMessageContaining("rollback attack");
    }

    @Test
    void mix_and_match_attack_is_rejected() throws Exception {
        repo.write("timestamp.json", repo.timestamp(4, 4, TestRepository.FUTURE), timestampKey);
        assertThatThrownBy(() -> client(TufClient.TrustedState.NONE).refresh())
                .hasMessageContaining("mix-and-match");
    }

    @Test
    void endless_data_attack_is_cut_off() throws Exception {
        Files.write(dir.resolve("metadata/timestamp.json"), new byte[(int) TufClient.MAX_TIMESTAMP_BYTES + 1]);
        assertThatThrownBy(() -> client(TufClient.TrustedState.NONE).refresh()).hasMessageContaining("endless data");

        publish(3, 3, 3);
        TufClient client = client(TufClient.TrustedState.NONE);
        client.refresh();
        byte[] endless = new byte[firmware.length * 1000];
        Files.write(dir.resolve("targets/firmware/app.img"), endless);
        assertThatThrownBy(() -> client.download("firmware/app.img")).hasMessageContaining("longer than");
    }

    @Test
    void threshold_attack_is_rejected() throws Exception {
        KeyPair second = TestRepository.newKey();
        repo.write("1.root.json", repo.root(1, List.of(rootKey), 1, List.of(timestampKey), List.of(snapshotKey),
                List.of(targetsKey, second), 2), rootKey);
        // One key signing twice is still one signature.
        repo.write("targets.json", repo.targets(3, firmware), targetsKey, targetsKey);
        assertThatThrownBy(() -> client(TufClient.TrustedState.NONE).refresh())
                .hasMessageContaining("threshold is 2");
        repo.write("targets.json", repo.targets(3, firmware), targetsKey, second);
        assertThat(client(TufClient.TrustedState.NONE).refresh().targetsVersion()).isEqualTo(3);
    }

    @Test
    void fast_forward_attack_is_recovered_by_rotating_the_timestamp_key() throws Exception {
        // An attacker with the old timestamp key pushed the device's trusted timestamp to version 1000.
        KeyPair newTimestampKey = TestRepository.newKey();
        repo.write("2.root.json", repo.root(2, List.of(rootKey), 1, List.of(newTimestampKey), List.of(snapshotKey),
                List.of(targetsKey), 1), rootKey);
        repo.write("timestamp.json", repo.timestamp(4, 3, TestRepository.FUTURE), newTimestampKey);
        TufClient client = client(new TufClient.TrustedState(1000, 3, 3));
        assertThat(client.refresh().timestampVersion()).isEqualTo(4);
        assertThat(client.rootVersion()).isEqualTo(2);
    }

    @Test
    void a_root_rotation_not_signed_by_the_old_root_is_rejected() throws Exception {
        KeyPair attacker = TestRepository.newKey();
        repo.write("2.root.json", repo.root(2, List.of(attacker), 1, List.of(attacker), List.of(attacker),
                List.of(attacker), 1), attacker);
        assertThatThrownBy(() -> client(TufClient.TrustedState.NONE).refresh())
                .hasMessageContaining("the trusted root's");
    }
}
