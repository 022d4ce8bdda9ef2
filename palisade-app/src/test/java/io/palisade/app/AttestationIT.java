package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.agent.tpm.TpmBootMeasurements;
import io.palisade.core.testing.Swtpm;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.MemoryFlash;
import io.palisade.firmware.boot.Slot;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.pki.tpm.Tpm2Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote attestation end to end: two devices of profile {@code meters}, each with its own TPM (swtpm), booted by
 * the boot verifier with TPM measurement, one from the firmware the operator declared ({@code palisade attest expect
 * meters --image}), one from another properly signed image. At connect the control plane challenges both: the first
 * passes, the second is quarantined with the PCR value that gave it away.
 */
class AttestationIT {

    @TempDir
    Path dir;

    @Test
    void a_device_that_booted_other_firmware_fails_attestation_at_connect_and_is_quarantined() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        Path key = dir.resolve("fw.pem");
        assertThat(Cli.run("firmware", "keygen", "--out", key.toString()).exitCode()).isZero();
        Path expectedImage = image(key, "1.0.0");
        Path otherImage = image(key, "1.0.1");
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        List<PalisadeProcess.Launched> agents = new ArrayList<>();
        try (Swtpm tpmA = Swtpm.start(Files.createDirectories(dir.resolve("tpm-a")));
             Swtpm tpmB = Swtpm.start(Files.createDirectories(dir.resolve("tpm-b")));
             PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt)) {
            Cli.Result expect = Cli.runAt(at, "attest", "expect", "meters", "--image", expectedImage.toString(),
                    "--firmware-key", dir.resolve("fw.pub.pem").toString());
            assertThat(expect.exitCode()).as(expect.err()).isZero();
            assertThat(expect.out()).contains("PCR 9 must be").contains("1.0.0");
            Cli.Result unsigned = Cli.runAt(at, "attest", "expect", "meters", "--image", expectedImage.toString());
            assertThat(unsigned.err()).contains("--firmware-key");

            boot(tpmA, expectedImage);
            boot(tpmB, otherImage);
            // At enrollment the new certificate asks for a challenge and the TPM quotes: A passes, B is caught.
            Cli.Result enrolledA = enroll(at, "meter-a", tpmA);
            assertThat(enrolledA.exitCode()).as(enrolledA.err()).isZero();
            assertThat(enrolledA.out()).contains("attestation passed");
            Cli.Result enrolledB = enroll(at, "meter-b", tpmB);
            assertThat(enrolledB.exitCode()).isNotZero();
            assertThat(enrolledB.err()).contains("enrolled, but attestation failed: PCR 9 is").contains("quarantined");
            assertThat(event(at, "attestation.failed", "meter-b").orElseThrow().path("details").path("reason").asText())
                    .startsWith("PCR 9 is ").contains(", expected ");
            Path deviceA = dir.resolve("meter-a");
            Path deviceB = dir.resolve("meter-b");
            for (Path device : List.of(deviceA, deviceB)) {
                agents.add(PalisadeProcess.launch(List.of("agent", "run", "--data", device.toString(), "--server",
                        "https://127.0.0.1:" + https, "--mqtt-port", Integer.toString(mqtt), "--no-uevents"),
                        "palisade agent:"));
            }

            // At connect, again: a second pass for A, a second failure for B (quarantined devices still connect).
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(at, "attestation.passed", "meter-a")
                        == 2 && count(at, "attestation.failed", "meter-b") == 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("passed " + Cli.events(at, "attestation.passed") + "\nfailed "
                        + Cli.events(at, "attestation.failed") + "\nA: " + agents.get(0).output() + "\nB: "
                        + agents.get(1).output(), e);
            }
            assertThat(event(at, "attestation.passed", "meter-a").orElseThrow().path("details").path("source").asText())
                    .contains("1.0.0");
            assertThat(Cli.runAt(at, "device", "show", "meter-b", "--json").out()).contains("\"quarantined\" : true");
            assertThat(Cli.runAt(at, "device", "show", "meter-a", "--json").out()).contains("\"quarantined\" : false");
            assertThat(Cli.events(at, "attestation.failed")).noneMatch(e -> e.path("device").asText().equals("meter-a"));

            // On demand: a fresh nonce, a fresh quote.
            Cli.Result run = Cli.runAt(at, "attest", "run", "meter-a");
            assertThat(run.exitCode()).as(run.err()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(at, "attestation.passed", "meter-a") == 3);
            assertThat(Cli.runAt(at, "attest", "show", "meters").out()).contains("PCR 9 = ");

            // A roll-out to 1.0.1 under way: either image may run; B now passes (its quarantine stays the operator's).
            Cli.Result both = Cli.runAt(at, "attest", "expect", "meters", "--image", expectedImage.toString(), "--image",
                    otherImage.toString(), "--firmware-key", dir.resolve("fw.pub.pem").toString());
            assertThat(both.out()).contains("must be one of");
            assertThat(Cli.runAt(at, "attest", "run", "meter-b").exitCode()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(at, "attestation.passed", "meter-b") == 1);
        } finally {
            for (PalisadeProcess.Launched agent : agents) {
                agent.process().destroy();
                agent.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path image(Path key, String version) throws Exception {
        Path payload = dir.resolve("app-" + version + ".bin");
        Files.writeString(payload, ("meter firmware " + version + " ").repeat(100));
        Path image = dir.resolve("meter-" + version + ".img");
        Cli.Result signed = Cli.run("firmware", "sign", "--key", key.toString(), "--version", version,
                "--security-counter", "1", payload.toString(), image.toString());
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        return image;
    }

    /** The device's boot verifier starts {@code image} and measures it into PCR 9 of its TPM. */
    private void boot(Swtpm tpm, Path image) throws Exception {
        MemoryFlash flash = new MemoryFlash();
        flash.writeSlot(Slot.A, Files.readAllBytes(image));
        new Bootloader(flash, List.of(FirmwareKeys.readPublic(dir.resolve("fw.pub.pem"))), Optional.empty(),
                new TpmBootMeasurements(new Tpm2Tools(tpm.tcti()), TpmBootMeasurements.DEFAULT_PCR,
                        dir.resolve(tpm.tcti().replaceAll("[^0-9]", "") + ".measured"))).boot();
    }

    private Cli.Result enroll(String[] at, String id, Swtpm tpm) throws Exception {
        Cli.Result added = Cli.runAt(at, "device", "add", id, "--profile", "meters", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        Path out = dir.resolve(id);
        Cli.Result enrolled = Cli.runAt(at, "device", "enroll", id, "--token",
                new ObjectMapper().readTree(added.out()).path("enrollment_token").asText(), "--out", out.toString(),
                "--tpm", tpm.tcti());
        assertThat(Files.readString(out.resolve("key.tpm"))).contains("ak=0x81010002");
        return enrolled;
    }

    private static long count(String[] at, String type, String device) {
        return Cli.events(at, type).stream().filter(e -> e.path("device").asText().equals(device)).count();
    }

    private static Optional<JsonNode> event(String[] at, String type, String device) {
        return Cli.events(at, type).stream().filter(e -> e.path("device").asText().equals(device)).findFirst();
    }
}
