package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.testing.Swtpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll-out to {@code palisade agent run --firmware} on a device with a TPM: the agent boots its factory image
 * through the boot verifier (counter in TPM NV memory, measured into PCR 9), takes the offer, fetches the image
 * through TUF from {@code palisade up}, trial-boots it, runs its health check and confirms; the TPM then holds the
 * new security counter, which no rewrite of the agent's files can lower.
 */
class AgentUpdateIT {

    @TempDir
    Path dir;

    @Test
    void a_rollout_reaches_the_agent_which_installs_and_confirms_with_its_tpm() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        Path key = dir.resolve("fw.pem");
        assertThat(Cli.run("firmware", "keygen", "--out", key.toString()).exitCode()).isZero();
        Path v1 = image(key, "1.0.0", 1);
        Path v2 = image(key, "2.0.0", 2);
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        try (Swtpm tpm = Swtpm.start(dir);
             PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt)) {
            assertThat(Cli.run("repo", "init", "--data", data.toString()).exitCode()).isZero();
            assertThat(Cli.run("repo", "add-target", v2.toString(), "--name", "firmware/meter-2.0.0.img", "--data",
                    data.toString()).exitCode()).isZero();
            assertThat(Cli.run("repo", "publish", "--data", data.toString()).exitCode()).isZero();

            Cli.Result added = Cli.runAt(at, "device", "add", "meter-1", "--json");
            Path device = dir.resolve("device");
            Cli.Result enrolled = Cli.runAt(at, "device", "enroll", "meter-1", "--token",
                    new ObjectMapper().readTree(added.out()).path("enrollment_token").asText(), "--out",
                    device.toString(), "--tpm", tpm.tcti());
            assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
            Path healthy = dir.resolve("health-checked");
            PalisadeProcess.Launched agent = PalisadeProcess.launch(List.of("agent", "run", "--data", device.toString(),
                    "--server", "https://127.0.0.1:" + https, "--mqtt-port", Integer.toString(mqtt), "--no-uevents",
                    "--firmware", dir.resolve("firmware").toString(), "--firmware-key",
                    dir.resolve("fw.pub.pem").toString(), "--factory-image", v1.toString(), "--tuf-root",
                    data.resolve("tuf/metadata/1.root.json").toString(), "--health-check", "touch " + healthy),
                    "palisade agent:");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.output().toString()
                        .contains("firmware 1.0.0"));
                assertThat(agent.output().toString()).contains("security counter 1, held by the TPM; measured into PCR 9 at power-on");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Cli.events(at, "auth.succeeded").stream()
                        .anyMatch(e -> e.path("device").asText().equals("meter-1")));

                Cli.Result rollout = Cli.runAt(at, "rollout", "create", "firmware/meter-2.0.0.img", "--waves", "100%");
                assertThat(rollout.exitCode()).as(rollout.err()).isZero();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Cli.events(at, "firmware.installed")
                        .stream().anyMatch(e -> e.path("device").asText().equals("meter-1")));
                assertThat(healthy).as("the health check ran on the trial image").exists();
                assertThat(Files.readString(dir.resolve("firmware/boot-state"))).contains("trial=false");
                Swtpm.Result counter = tpm.tool("tpm2_nvread", "0x01500001", "-C", "o", "-s", "8");
                assertThat(counter.output()).as("two bits set: security counter 2, in the TPM").endsWith("\u0003");
                assertThat(Files.exists(dir.resolve("firmware/security-counter"))).as("not on the flash").isFalse();
            } finally {
                agent.process().destroy();
                agent.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path image(Path key, String version, int counter) throws Exception {
        Path payload = dir.resolve("app-" + version + ".bin");
        Files.writeString(payload, ("meter application " + version + " ").repeat(100));
        Path image = dir.resolve("meter-" + version + ".img");
        Cli.Result signed = Cli.run("firmware", "sign", "--key", key.toString(), "--version", version,
                "--security-counter", Integer.toString(counter), payload.toString(), image.toString());
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        return image;
    }
}
