package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFID token vault end to end: a record stored and read back (recorded), two enrolled readers reporting over MQTT
 * with {@code mosquitto_pub} and their certificates, a token seen at two readers a kilometre apart within seconds (a
 * clone), a rotated token seen again, a token the vault never issued, a malformed report; crypto-erase checked by
 * reading the raw SQLite file afterwards.
 */
class RfidIT {

    private static final String RECORD = "pallet 7: insulin, lot 4711, cold chain";

    @TempDir
    Path dir;

    @Test
    void tokens_stand_for_sealed_records_and_impossible_sightings_are_findings() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                PalisadeProcess.freePort())) {
            Path readerA = Cli.enroll(at, "reader-a", dir.resolve("reader-a"));
            Path readerB = Cli.enroll(at, "reader-b", dir.resolve("reader-b"));
            assertThat(cli(at, "rfid", "reader", "set", "reader-a", "--x", "0", "--y", "0").exitCode()).isZero();
            assertThat(cli(at, "rfid", "reader", "set", "reader-b", "--x", "1000", "--y", "0").exitCode()).isZero();

            Cli.Result issued = cli(at, "rfid", "issue", "--record", RECORD);
            assertThat(issued.exitCode()).as(issued.err()).isZero();
            String token = issued.out().strip();
            assertThat(token).as("GID-96 header, 88 random bits").matches("35[0-9A-F]{22}");
            assertThat(cli(at, "rfid", "lookup", token).out().strip()).isEqualTo(RECORD);
            assertThat(Cli.events(at, "rfid.lookup")).anySatisfy(e -> {
                assertThat(e.path("details").path("token").asText()).isEqualTo(token);
                assertThat(e.path("details").path("outcome").asText()).isEqualTo("active");
            });
            assertThat(cli(at, "rfid", "list").out()).contains(token + " active").doesNotContain("insulin");

            Instant now = Instant.now();
            report(palisade, readerA, "reader-a", "{\"tags\":[{\"epc\":\"" + token + "\",\"time\":\"" + now + "\"}]}");
            report(palisade, readerB, "reader-b", "{\"tags\":[{\"epc\":\"" + token + "\",\"time\":\""
                    + now.plusSeconds(5) + "\"}]}");
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> finding(at, "clone-suspected") != null);
            JsonNode clone = finding(at, "clone-suspected");
            assertThat(clone.path("details").path("previous_reader").asText()).isEqualTo("reader-a");
            assertThat(clone.path("details").path("reader").asText()).isEqualTo("reader-b");
            assertThat(clone.has("device")).as("the readers reported honestly: no device is blamed").isFalse();

            // Custody of the tag's passwords: released to reader-a for one kill, claimed once over mutual TLS.
            assertThat(cli(at, "rfid", "passwords", token, "--kill", "a1b2c3d4", "--access", "0badf00d").exitCode())
                    .isZero();
            assertThat(cli(at, "rfid", "release", token, "--reader", "reader-a", "--operation", "kill", "--reason",
                    "decommission pallet 7").out()).contains("once, within 600 s");
            String claim = "{\"token\":\"" + token + "\",\"operation\":\"kill\"}";
            assertThat(claimWith(palisade, readerB, claim)).as("another reader").contains("no open release");
            assertThat(claimWith(palisade, readerA, claim)).contains("\"password\":\"A1B2C3D4\"");
            assertThat(claimWith(palisade, readerA, claim)).as("a release is spent once claimed")
                    .contains("no open release");
            assertThat(Cli.events(at, "rfid.lookup")).anySatisfy(e -> {
                assertThat(e.path("device").asText()).isEqualTo("reader-a");
                assertThat(e.path("details").path("outcome").asText()).isEqualTo("password-released");
                assertThat(e.path("details").path("released_by").asText()).isNotBlank();
            });

            Cli.Result rotated = cli(at, "rfid", "rotate", token);
            String replacement = rotated.out().strip();
            assertThat(replacement).matches("35[0-9A-F]{22}").isNotEqualTo(token);
            assertThat(cli(at, "rfid", "lookup", replacement).out().strip()).isEqualTo(RECORD);
            Cli.Result old = cli(at, "rfid", "lookup", token);
            assertThat(old.exitCode()).as("no record for a rotated token").isEqualTo(1);
            assertThat(old.err()).contains("rotated").contains(replacement);
            report(palisade, readerA, "reader-a", "{\"tags\":[{\"epc\":\"" + token + "\"}]}");
            report(palisade, readerA, "reader-a", "{\"tags\":[{\"epc\":\"35" + "0".repeat(22) + "\"}]}");
            report(palisade, readerA, "reader-a", "{\"tags\":[{\"epc\":\"not an epc\"}]}");
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> finding(at, "rotated-token-seen") != null
                    && finding(at, "unknown-token") != null);
            assertThat(Cli.events(at, "protocol.violation")).anySatisfy(e -> {
                assertThat(e.path("device").asText()).isEqualTo("reader-a");
                assertThat(e.path("details").path("protocol").asText()).isEqualTo("rfid");
            });

            assertThat(cli(at, "rfid", "erase", replacement).exitCode()).isZero();
            Cli.Result erased = cli(at, "rfid", "lookup", replacement);
            assertThat(erased.exitCode()).isEqualTo(1);
            assertThat(erased.err()).contains("erased");

            // A reader that speaks LLRP: Palisade connects to it, answers its keep-alive, takes its report.
            try (java.net.ServerSocket llrpReader = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                assertThat(cli(at, "device", "add", "reader-c").exitCode()).isZero();
                assertThat(cli(at, "rfid", "reader", "set", "reader-c", "--x", "5", "--y", "5", "--llrp",
                        "127.0.0.1:" + llrpReader.getLocalPort()).exitCode()).isZero();
                llrpReader.setSoTimeout(20_000);
                try (java.net.Socket palisadeSide = llrpReader.accept()) {
                    var out = palisadeSide.getOutputStream();
                    out.write(new io.palisade.radio.llrp.LlrpMessage(1, io.palisade.radio.llrp.LlrpMessage.KEEPALIVE,
                            77, new byte[0]).encode());
                    out.flush();
                    palisadeSide.setSoTimeout(10_000);
                    var ack = new io.palisade.radio.llrp.LlrpReader(palisadeSide.getInputStream()).next();
                    assertThat(ack.type()).isEqualTo(io.palisade.radio.llrp.LlrpMessage.KEEPALIVE_ACK);
                    assertThat(ack.id()).isEqualTo(77);
                    out.write(io.palisade.radio.llrp.LlrpBytesForTests.report(78, replacement));
                    out.flush();
                    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                            finding(at, "erased-token-seen") != null);
                    assertThat(finding(at, "erased-token-seen").path("details").path("reader").asText())
                            .isEqualTo("reader-c");
                    out.write(new byte[]{0x04, 0x3d, 0, 0, 0, 3, 0, 0, 0, 1}); // a length shorter than the header
                    out.flush();
                }
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Cli.events(at, "protocol.violation")
                        .stream().anyMatch(e -> e.path("details").path("protocol").asText().equals("llrp")
                                && e.path("device").asText().equals("reader-c")));
            }
        }
        // Crypto-erase, read off the raw store: no key and no ciphertext left for the erased token, and the record's
        // text was never anywhere in the file.
        Processes.Result rows = Processes.run(List.of("sqlite3", data.resolve("palisade.db").toString(),
                "SELECT state || ':' || coalesce(wrapped_key, 'none') || ':' || coalesce(ciphertext, 'none')"
                        + " FROM rfid_records ORDER BY created_at"));
        assertThat(rows.output().lines().toList()).containsExactly("ROTATED:none:none", "ERASED:none:none");
        for (String file : List.of("palisade.db", "palisade.db-wal")) {
            Path path = data.resolve(file);
            if (Files.exists(path)) {
                assertThat(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1)).doesNotContain("insulin");
            }
        }
    }

    private static void report(PalisadeProcess palisade, Path reader, String id, String json) throws Exception {
        Processes.Result sent = Processes.run(List.of("mosquitto_pub", "-h", "localhost", "-p",
                Integer.toString(palisade.mqttPort), "--cafile", reader.resolve("ca.pem").toString(), "--cert",
                reader.resolve("cert.pem").toString(), "--key", reader.resolve("key.pem").toString(), "-i", id, "-t",
                "devices/" + id + "/rfid/tags", "-q", "1", "-m", json));
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    /** {@code curl} as the reader: its device certificate, the claim route outside /api/v1. */
    private static String claimWith(PalisadeProcess palisade, Path reader, String json) throws Exception {
        return Processes.run(List.of("curl", "-s", "--cacert", reader.resolve("ca.pem").toString(), "--cert",
                reader.resolve("cert.pem").toString(), "--key", reader.resolve("key.pem").toString(), "-H",
                "Content-Type: application/json", "-d", json, "https://localhost:" + palisade.port + "/rfid/claim"))
                .output();
    }

    private static JsonNode finding(String[] at, String kind) {
        return Cli.events(at, "radio.finding").stream()
                .filter(e -> e.path("details").path("finding").asText().equals(kind)).findFirst().orElse(null);
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
