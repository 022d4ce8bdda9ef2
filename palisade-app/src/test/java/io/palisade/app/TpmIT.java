package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.testing.Swtpm;
import io.palisade.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device key that never leaves a TPM 2.0 (Debian's swtpm, driven through tpm2-tools): made inside it at enrollment
 * ({@code palisade device enroll --tpm}), the EST request signed by it, the agent's mutual TLS to the gateway
 * authenticated by it, and evicted from the TPM by a remote wipe.
 */
class TpmIT {

    @TempDir
    Path dir;

    @Test
    void the_device_key_is_made_used_and_destroyed_inside_the_tpm() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        try (Swtpm tpm = Swtpm.start(dir);
             PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt)) {
            Cli.Result added = Cli.runAt(at, "device", "add", "tpm-1", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String token = new ObjectMapper().readTree(added.out()).path("enrollment_token").asText();
            Path device = dir.resolve("device");
            Cli.Result enrolled = Cli.runAt(at, "device", "enroll", "tpm-1", "--token", token, "--out", device.toString(),
                    "--tpm", tpm.tcti());
            assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
            assertThat(enrolled.out()).contains("key.tpm");
            assertThat(device.resolve("key.pem")).as("no key material outside the TPM").doesNotExist();
            assertThat(Files.readString(device.resolve("key.tpm"))).contains("handle=0x81010001");

            // The certificate certifies the TPM's key, as tpm2-tools itself reads it out of the TPM.
            Swtpm.Result readPublic = tpm.tool("tpm2_readpublic", "-c", "0x81010001", "-f", "pem", "-o",
                    dir.resolve("tpm-public.pem").toString());
            assertThat(readPublic.exitCode()).as(readPublic.output()).isZero();
            assertThat(readPublic.output()).contains("fixedtpm").contains("fixedparent").contains("sensitivedataorigin");
            assertThat(Pem.readCertificates(device.resolve("cert.pem")).get(0).getPublicKey())
                    .isEqualTo(Pem.readPublicKey(dir.resolve("tpm-public.pem")));

            PalisadeProcess.Launched agent = PalisadeProcess.launch(List.of("agent", "run", "--data", device.toString(),
                    "--server", "https://127.0.0.1:" + https, "--mqtt-port", Integer.toString(mqtt), "--no-uevents"),
                    "palisade agent:");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Cli.events(at, "auth.succeeded").stream()
                        .anyMatch(e -> e.path("device").asText().equals("tpm-1")));

                assertThat(Cli.runAt(at, "device", "quarantine", "tpm-1", "--reason", "test").exitCode()).isZero();
                Cli.Result wipe = Cli.runAt(at, "device", "wipe", "tpm-1", "--reason", "stolen");
                assertThat(wipe.exitCode()).as(wipe.err()).isZero();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Cli.events(at, "device.wiped").stream()
                        .anyMatch(e -> e.path("device").asText().equals("tpm-1")));
                assertThat(agent.process().waitFor(30, TimeUnit.SECONDS)).as("the agent ends once wiped").isTrue();
                assertThat(agent.output().toString()).contains("the device was wiped");
            } finally {
                agent.process().destroy();
                agent.process().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(device.resolve("key.tpm")).doesNotExist();
            Swtpm.Result gone = tpm.tool("tpm2_readpublic", "-c", "0x81010001");
            assertThat(gone.exitCode()).as("the key was evicted from the TPM").isNotZero();
        }
    }
}
