package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.core.device.DeviceId;
import io.palisade.core.tamper.TamperReport;
import io.palisade.core.tamper.TamperSensor;
import io.palisade.core.time.ManualClock;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.pki.tamper.SignedTamperReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Physical tamper detection end to end, as an operator deploys it: {@code palisade up --tamper-response lock} in
 * front of the machine's Mosquitto, and {@code palisade agent run} in its own JVM on an enrolled device with three
 * sensors: a case switch (an evdev device; here a FIFO carrying the kernel's 24-byte records), a GPIO line (the
 * simulated chip: this machine has no GPIO chip nor the gpio-sim module) and the kernel's own uevents (a real
 * netlink socket; the test makes the kernel announce a disk by writing {@code add} to its sysfs {@code uevent}
 * file). Then what an attacker with access to the broker can do: a report signed under another CA, and a replay of
 * a genuine one captured off the broker with {@code mosquitto_sub}.
 */
class TamperIT {

    private static final String BROKER = "127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void tamper_evidence_is_signed_numbered_recorded_and_answered_with_a_lock() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        String id = "tamper-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        try (PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt,
                List.of("--upstream", "mqtt://" + BROKER + ":1883", "--tamper-response", "lock"))) {
            Path device = Cli.enroll(at, id, dir.resolve("device"));
            Path caseSwitch = fifo("event0");
            Path gpio = fifo("gpiochip9");
            Path appLog = dir.resolve("app.log");
            // File integrity too: a signed baseline of the application's files.
            Path app = Files.createDirectories(dir.resolve("app"));
            Files.writeString(app.resolve("app.conf"), "interval=60\n");
            assertThat(Cli.run("firmware", "keygen", "--out", dir.resolve("fim.pem").toString()).exitCode()).isZero();
            assertThat(Cli.run("fim", "baseline", app.toString(), "--key", dir.resolve("fim.pem").toString(), "--out",
                    dir.resolve("baseline.json").toString()).exitCode()).isZero();
            // Anyone who can reach the broker sees the reports go by: keep the first one for a replay.
            Process spy = new ProcessBuilder("mosquitto_sub", "-h", BROKER, "-p", "1883", "-t",
                    "quarantine/" + id + "/tamper", "-C", "1", "-W", "120").start();

            PalisadeProcess.Launched agent = PalisadeProcess.launch(List.of("agent", "run", "--data", device.toString(),
                    "--server", "https://127.0.0.1:" + https, "--mqtt-port", Integer.toString(mqtt),
                    "--tamper-switch", caseSwitch + ":0", "--tamper-gpio-simulated", "gpiochip9:" + gpio,
                    "--app-stop", "echo stopped >> " + appLog, "--app-start", "echo started >> " + appLog,
                    "--fim-baseline", dir.resolve("baseline.json").toString(), "--fim-key",
                    dir.resolve("fim.pub.pem").toString()),
                    "palisade agent:");
            try {
                // The banner's detail lines follow its first line (the one launch waited for).
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.output().toString()
                        .contains("file integrity: baseline"));
                assertThat(agent.output().toString()).contains("device " + id)
                        .contains("core dumps off (RLIMIT_CORE 0), process not dumpable")
                        .contains("kernel uevents").contains("switches of " + caseSwitch + " [SW_LID]")
                        .contains("simulated GPIO chip gpiochip9").contains("file integrity: baseline");
                assertThat(Files.readString(Path.of("/proc", Long.toString(agent.process().pid()), "limits")))
                        .containsPattern("Max core file size\\s+0\\s+0");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Cli.events(at, "auth.succeeded").stream()
                        .anyMatch(e -> e.path("device").asText().equals(id)));

                Files.writeString(app.resolve("app.conf"), "interval=1\n");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !events(at, "file.modified", id).isEmpty());
                assertThat(events(at, "file.modified", id).get(0).path("details").path("path").asText())
                        .endsWith("app.conf");

                // The case is opened: SW_LID turns on.
                write(caseSwitch, inputEvent(0x05, 0x00, 1));
                JsonNode lid = awaitTamper(at, id, 1);
                assertThat(lid.path("severity").asText()).isEqualToIgnoringCase("critical");
                assertThat(lid.path("details").path("sensor").asText()).isEqualTo("switch");
                assertThat(lid.path("details").path("name").asText()).isEqualTo("SW_LID");
                assertThat(lid.path("details").path("response").asText()).isEqualTo("lock");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !events(at, "device.locked", id).isEmpty());
                assertThat(Files.readString(appLog)).isEqualTo("stopped\n");
                assertThat(Cli.runAt(at, "device", "show", id, "--json").out()).contains("\"quarantined\" : true");

                // The operator, having sent someone to look, unlocks it (it stays quarantined until released).
                Cli.Result unlock = Cli.runAt(at, "device", "unlock", id, "--reason", "technician on site");
                assertThat(unlock.exitCode()).as(unlock.err()).isZero();
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> !events(at, "device.unlocked", id).isEmpty());
                assertThat(Files.readString(appLog)).isEqualTo("stopped\nstarted\n");

                // A tamper mesh on GPIO line 17 goes high; then the kernel announces a disk.
                write(gpio, "1 17 1700 250000000\n".getBytes(StandardCharsets.US_ASCII));
                JsonNode line = awaitTamper(at, id, 2);
                assertThat(line.path("details").path("sensor").asText()).isEqualTo("gpio");
                assertThat(line.path("details").path("name").asText()).isEqualTo("gpiochip9:17");
                String disk = announceADisk();
                JsonNode storage = awaitTamper(at, id, 3);
                assertThat(storage.path("details").path("sensor").asText()).isEqualTo("storage");
                assertThat(storage.path("details").path("name").asText()).endsWith("/" + disk);
            } finally {
                agent.process().destroy();
                agent.process().waitFor(30, TimeUnit.SECONDS);
            }

            // A report under a device certificate of another CA, for the real device id: refused, blamed on no device.
            CertificateAuthority forger = CertificateAuthority.create("forger", KeyPairs.newP256(), KeyPairs.newP256(),
                    new ManualClock(Instant.now())).authority(DeviceCertificateProfile.defaults(),
                    new ManualClock(Instant.now()));
            KeyPair forged = KeyPairs.newP256();
            byte[] forgery = SignedTamperReport.seal(new TamperReport(DeviceId.of(id), 1_000, Instant.now(),
                    TamperSensor.USB, "/devices/fake", "all clear"), forged.getPrivate(),
                    forger.issueDevice(DeviceId.of(id), forged.getPublic()));
            publish(id, forgery);
            // The first genuine report, sent again: a replay.
            assertThat(spy.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_sub saw the report").isTrue();
            byte[] captured = spy.getInputStream().readAllBytes();
            assertThat(new String(captured, StandardCharsets.UTF_8)).contains("\"signature\"");
            publish(id, stripNewline(captured));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> refusals(at, id).size() >= 2);
            assertThat(refusals(at, id)).anySatisfy(e -> assertThat(e.path("message").asText())
                    .contains("not a valid Palisade certificate"));
            assertThat(refusals(at, id)).anySatisfy(e -> assertThat(e.path("message").asText()).contains("a replay"));
            assertThat(refusals(at, id)).allSatisfy(e -> assertThat(e.has("device")).isFalse());
            assertThat(Cli.events(at, "tamper.detected").stream().filter(e -> e.path("device").asText().equals(id)))
                    .as("nothing the attacker sent became tamper evidence").hasSize(3);
        }
    }

    private JsonNode awaitTamper(String[] at, String id, long counter) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tamper(at, id, counter).isPresent());
        return tamper(at, id, counter).orElseThrow();
    }

    private static Optional<JsonNode> tamper(String[] at, String id, long counter) {
        return events(at, "tamper.detected", id).stream()
                .filter(e -> e.path("details").path("counter").asText().equals(Long.toString(counter))).findFirst();
    }

    private static List<JsonNode> events(String[] at, String type, String id) {
        return Cli.events(at, type).stream().filter(e -> e.path("device").asText().equals(id)).toList();
    }

    private static List<JsonNode> refusals(String[] at, String id) {
        return Cli.events(at, "protocol.violation").stream()
                .filter(e -> e.path("message").asText().contains("quarantine/" + id + "/tamper")).toList();
    }

    private Path fifo(String name) throws Exception {
        Path path = dir.resolve(name);
        assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
        return path;
    }

    private static void write(Path fifo, byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.write(bytes);
        }
    }

    /** {@code struct input_event} as the kernel writes it on 64-bit Linux. */
    private static byte[] inputEvent(int type, int code, int value) {
        Instant now = Instant.now();
        return ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putLong(now.getEpochSecond())
                .putLong(now.getNano() / 1000).putShort((short) type).putShort((short) code).putInt(value).array();
    }

    /**
     * Makes the kernel send an {@code add} uevent for a disk it has (a loop device here), exactly as it does when an
     * SD card or USB stick appears; answers the disk's name.
     */
    private static String announceADisk() throws IOException {
        try (Stream<Path> disks = Files.list(Path.of("/sys/class/block"))) {
            for (Path disk : disks.sorted().toList()) {
                Path uevent = disk.resolve("uevent");
                if (Files.readString(uevent).contains("DEVTYPE=disk")) {
                    Files.writeString(uevent, "add");
                    return disk.getFileName().toString();
                }
            }
        }
        throw new AssertionError("this machine has no block device to announce (/sys/class/block)");
    }

    private static void publish(String id, byte[] payload) throws Exception {
        Path file = Files.createTempFile("tamper", ".json");
        try {
            Files.write(file, payload);
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", BROKER, "-p", "1883", "-t",
                    "quarantine/" + id + "/tamper", "-q", "1", "-f", file.toString()).inheritIO().start();
            assertThat(pub.waitFor(30, TimeUnit.SECONDS) && pub.exitValue() == 0).as("mosquitto_pub").isTrue();
        } finally {
            Files.delete(file);
        }
    }

    private static byte[] stripNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
