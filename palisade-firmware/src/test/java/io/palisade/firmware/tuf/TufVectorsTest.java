package io.palisade.firmware.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The client does what python-tuf's reference client does with each vector repository (EXPECT files). */
class TufVectorsTest {

    private static final String TARGET = "firmware/sensor-1.0.0.img";

    private static Path vector(String name) throws URISyntaxException {
        return Path.of(TufVectorsTest.class.getResource("/vectors/tuf/" + name).toURI());
    }

    private static TufClient client(String name) throws Exception {
        Path repo = vector(name);
        return new TufClient(new DirectoryRepository(repo), Files.readAllBytes(repo.resolve("metadata/1.root.json")),
                TufClient.TrustedState.NONE, Clock.systemUTC());
    }

    @Test
    void good_refreshes_and_the_target_matches() throws Exception {
        TufClient client = client("good");
        TufClient.TrustedState state = client.refresh();
        assertThat(state.timestampVersion()).isEqualTo(1);
        byte[] target = client.download(TARGET);
        assertThat(target).hasSize((int) client.target(TARGET).length());
        assertThat(target).isEqualTo(Files.readAllBytes(vector("good").resolve("targets/" + TARGET)));
    }

    @Test
    void freeze_expired_timestamp_is_rejected() throws Exception {
        assertThatThrownBy(() -> client("freeze-expired-timestamp").refresh()).isInstanceOf(TufException.class)
                .hasMessageContaining("timestamp").hasMessageContaining("expired").hasMessageContaining("freeze");
    }

    @Test
    void targets_signed_by_an_unlisted_key_is_rejected() throws Exception {
        assertThatThrownBy(() -> client("targets-wrong-key").refresh()).isInstanceOf(TufException.class)
                .hasMessageContaining("targets").hasMessageContaining("threshold");
    }

    @Test
    void a_tampered_target_is_refused_at_download() throws Exception {
        TufClient client = client("target-tampered");
        client.refresh();
        assertThatThrownBy(() -> client.download(TARGET)).isInstanceOf(TufException.class)
                .hasMessageContaining("does not match the length and sha256");
    }

    @Test
    void root_rotation_moves_to_version_2_and_trusts_the_new_timestamp_key() throws Exception {
        TufClient client = client("root-rotation");
        client.refresh();
        assertThat(client.rootVersion()).isEqualTo(2);
        assertThat(client.download(TARGET)).isNotEmpty();
    }
}
