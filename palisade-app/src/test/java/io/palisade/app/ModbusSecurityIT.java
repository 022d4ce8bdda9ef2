package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.testing.ModbusPlc;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modbus/TCP Security end to end: devices registered with a role ({@code device add --role}) and enrolled over EST
 * reach the PLC through TLS with their certificates, using {@code openssl s_client} as the client; rules decide by
 * role; a client without a certificate, a quarantined device and a revoked one get nothing through, each recorded
 * against the source address.
 */
class ModbusSecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read holding registers 0-1 of unit 1 (transaction 7). */
    private static final byte[] READ = HexFormat.of().parseHex("000700000006010300000002");

    @TempDir
    Path dir;

    @Test
    void role_bearing_certificates_decide_and_quarantined_revoked_or_anonymous_clients_get_nothing() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        try (ModbusPlc plc = ModbusPlc.start(dir)) {
            int tlsPort = PalisadeProcess.freePort();
            try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                    PalisadeProcess.freePort(), List.of("--modbus-plc", "127.0.0.1:" + plc.port(), "--modbus-port",
                            Integer.toString(PalisadeProcess.freePort()), "--modbus-tls-port", Integer.toString(tlsPort)))) {
                assertThat(palisade.output()).contains("Modbus/TLS     port " + tlsPort);
                Path engineer = enroll(at, "eng-1", "engineer");
                Path viewer = enroll(at, "hmi-1", "viewer");
                assertThat(cli(at, "modbus", "set", "engineers", "--role", "engineer", "--units", "1", "--functions", "3",
                        "--range", "holding-registers=0-9").exitCode()).isZero();

                assertThat(exchange(engineer, tlsPort)).as("the engineer's role is allowed")
                        .isEqualTo("00070000000701030400000001");
                assertThat(exchange(viewer, tlsPort)).as("no rule for the viewer role: default deny")
                        .isEqualTo("000700000003018301");
                assertThat(exchange(engineer.resolve("ca.pem"), tlsPort)).as("no certificate: the server ends the handshake")
                        .isEmpty();

                Process open = openSession(engineer, tlsPort);
                assertThat(cli(at, "device", "quarantine", "eng-1", "--reason", "odd writes").exitCode()).isZero();
                java.util.concurrent.CompletableFuture<Integer> end = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return open.getInputStream().read();
                    } catch (java.io.IOException e) {
                        return -2;
                    }
                });
                assertThat(end.get(10, TimeUnit.SECONDS)).as("the open session is cut at once").isEqualTo(-1);
                open.destroy();
                assertThat(exchange(engineer, tlsPort)).as("quarantined").isEmpty();
                assertThat(cli(at, "device", "release", "eng-1").exitCode()).isZero();
                assertThat(exchange(engineer, tlsPort)).as("released").startsWith("0007");
                assertThat(cli(at, "device", "revoke", "hmi-1").exitCode()).isZero();
                assertThat(exchange(viewer, tlsPort)).as("revoked").isEmpty();

                // Allowed requests are the device's traffic for detection: one topic per unit, function and region.
                JsonNode features = JSON.readTree(cli(at, "detect", "features", "eng-1", "--json").out());
                assertThat(features.path("features").path("distinct_topics").asDouble()).as(features.toString())
                        .isEqualTo(1.0);
                // A device scanning the register space: the refusals count against the device it proved, detection
                // quarantines it, and its session is cut, within seconds.
                Process scanner = openSession(engineer, tlsPort);
                for (int register = 10; register < 40; register++) {
                    scanner.getOutputStream().write(HexFormat.of().parseHex(String.format("%04x000000060103%04x0001",
                            register, register)));
                }
                scanner.getOutputStream().flush();
                java.util.concurrent.CompletableFuture<Boolean> cut = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        while (scanner.getInputStream().read() >= 0) {
                            // the exception answers to the refused reads, until the session is cut
                        }
                        return true;
                    } catch (java.io.IOException e) {
                        return true;
                    }
                });
                assertThat(cut.get(20, TimeUnit.SECONDS)).as("the scanner's session is cut").isTrue();
                scanner.destroy();
                JsonNode shown = JSON.readTree(cli(at, "device", "show", "eng-1", "--json").out());
                assertThat(shown.path("quarantined").asBoolean()).as("detection quarantined the scanner").isTrue();
                JsonNode finding = JSON.readTree(cli(at, "events", "--type", "anomaly.detected", "--json").out()
                        .split("\n")[0]);
                assertThat(finding.path("device").asText()).isEqualTo("eng-1");
                assertThat(finding.path("details").path("rule").asText()).isEqualTo("topic-probing");

                List<JsonNode> refused = new ArrayList<>();
                for (String line : cli(at, "events", "--type", "auth.failed", "--json").out().split("\n")) {
                    JsonNode event = JSON.readTree(line);
                    if (event.path("details").path("protocol").asText().equals("modbus")) {
                        refused.add(event);
                    }
                }
                assertThat(refused).extracting(e -> e.path("details").path("reason").asText())
                        .anyMatch(reason -> reason.startsWith("TLS handshake failed"))
                        .contains("device eng-1 is quarantined")
                        .anyMatch(reason -> reason.contains("of device hmi-1 is revoked"));
                assertThat(refused).allSatisfy(e -> {
                    assertThat(e.path("source").asText()).isEqualTo("127.0.0.1");
                    assertThat(e.has("device")).as("counted against the address, not the device named").isFalse();
                });
                JsonNode allowed = JSON.readTree(cli(at, "events", "--type", "acl.denied", "--json").out().split("\n")[0]);
                assertThat(allowed.path("details").path("client").asText()).isEqualTo("hmi-1 (role viewer) at 127.0.0.1");
            }
        }
    }

    /** {@code device add --role} and {@code device enroll}: the directory with key.pem, cert.pem, ca.pem. */
    private Path enroll(String[] at, String id, String role) throws Exception {
        Cli.Result added = cli(at, "device", "add", id, "--role", role, "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(JSON.readTree(added.out()).path("role").asText()).isEqualTo(role);
        Path out = dir.resolve(id);
        Cli.Result enrolled = cli(at, "device", "enroll", id, "--token",
                JSON.readTree(added.out()).path("enrollment_token").asText(), "--out", out.toString());
        assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
        return out;
    }

    /**
     * One request through {@code openssl s_client} with the device's certificate (or, given a CA file, with none; the
     * client checks the server either way), answered as hex; empty when the connection ends without an answer.
     */
    private static String exchange(Path device, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + port,
                "-verify_return_error"));
        if (java.nio.file.Files.isDirectory(device)) {
            command.addAll(List.of("-cert", device.resolve("cert.pem").toString(), "-key",
                    device.resolve("key.pem").toString(), "-CAfile", device.resolve("ca.pem").toString()));
        } else {
            command.addAll(List.of("-CAfile", device.toString()));
        }
        Process client = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            OutputStream in = client.getOutputStream();
            in.write(READ);
            in.flush();
            InputStream out = client.getInputStream();
            StringBuilder answer = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int expected = -1;
            while (System.nanoTime() < deadline && (expected < 0 || answer.length() < expected * 2)) {
                int b = out.read();
                if (b < 0) {
                    break;
                }
                answer.append(String.format("%02x", b));
                if (answer.length() == 12) {
                    expected = 6 + Integer.parseInt(answer.substring(8, 12), 16);
                }
            }
            return answer.toString();
        } finally {
            client.destroy();
            client.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** An s_client session with one request answered, left open. */
    private static Process openSession(Path device, int port) throws Exception {
        Process client = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + port,
                "-verify_return_error", "-cert", device.resolve("cert.pem").toString(), "-key",
                device.resolve("key.pem").toString(), "-CAfile", device.resolve("ca.pem").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        client.getOutputStream().write(READ);
        client.getOutputStream().flush();
        assertThat(client.getInputStream().readNBytes(13)).hasSize(13); // 0007 0000 0007 01 03 04 ....
        return client;
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
