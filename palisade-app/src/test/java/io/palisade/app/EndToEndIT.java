package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's path: `palisade up` as its own process, then the `palisade` commands against it,
 * including a kill -9 and restart in the middle.
 */
class EndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void register_enroll_manage_and_survive_kill_minus_9() throws Exception {
        Path data = dir.resolve("data");
        int port = PalisadeProcess.freePort();
        int mqttPort = PalisadeProcess.freePort();
        String[] connection = {"--data", data.toString()};
        String rootCa;
        try (PalisadeProcess first = PalisadeProcess.start(data, port, mqttPort)) {
            assertThat(first.output()).contains("https://127.0.0.1:" + port).contains("admin token");
            // Where it listens, for the CLI and `palisade sim fleet` started with the same --data.
            assertThat(Files.readString(data.resolve("server.url")).strip()).isEqualTo("https://127.0.0.1:" + port);
            assertThat(Files.readString(data.resolve("mqtt.url")).strip()).isEqualTo("mqtts://127.0.0.1:" + mqttPort);
            for (String secret : new String[]{"admin.token", "ca/root.key", "ca/issuing.key", "tls/server.key"}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(secret))))
                        .as(secret).isEqualTo("rw-------");
            }
            rootCa = Files.readString(data.resolve("ca/root.crt"));

            Cli.Result added = Cli.run(with(connection, "device", "add", "sensor-1", "--profile", "default",
                    "--segment", "plant-a", "--json"));
            assertThat(added.exitCode()).as(added.err()).isZero();
            JsonNode registration = JSON.readTree(added.out());
            String token = registration.get("enrollment_token").asText();
            assertThat(registration.get("segment").asText()).isEqualTo("plant-a");

            Path device = dir.resolve("device");
            Cli.Result enrolled = Cli.run(with(connection, "device", "enroll", "sensor-1", "--token", token,
                    "--out", device.toString(), "--ca", data.resolve("ca/root.crt").toString(), "--json"));
            assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
            JsonNode enrollment = JSON.readTree(enrolled.out());
            assertThat(enrollment.get("device").asText()).isEqualTo("sensor-1");
            assertThat(enrollment.path("files").get("key").asText()).isEqualTo(device.resolve("key.pem").toString());
            assertThat(java.time.Instant.parse(enrollment.get("renew_after").asText()))
                    .isBefore(java.time.Instant.parse(enrollment.get("not_after").asText()));
            assertThat(device.resolve("key.pem")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(device.resolve("key.pem"))))
                    .isEqualTo("rw-------");

            Cli.Result again = Cli.run(with(connection, "device", "enroll", "sensor-1", "--token", token,
                    "--out", dir.resolve("thief").toString()));
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).startsWith("palisade: enrollment failed").contains("already been used")
                    .hasLineCount(1);

            Cli.Result renewed = Cli.run(with(connection, "device", "renew", "--out", device.toString(), "--force"));
            assertThat(renewed.exitCode()).as(renewed.err()).isZero();
            assertThat(renewed.out()).contains("renewed");
            Cli.Result notDue = Cli.run(with(connection, "device", "renew", "--out", device.toString(), "--json"));
            assertThat(JSON.readTree(notDue.out()).get("result").asText()).isEqualTo("not_due");
            Cli.Result renewedJson = Cli.run(with(connection, "device", "renew", "--out", device.toString(), "--force",
                    "--json"));
            JsonNode renewal = JSON.readTree(renewedJson.out());
            assertThat(renewal.get("result").asText()).isEqualTo("renewed");
            assertThat(renewal.get("serial").asText()).isNotEqualTo(enrollment.get("serial").asText());
            // On the device there is no data directory: renew trusts the ca.pem that enrollment wrote into --out.
            Cli.Result onTheDevice = Cli.run("device", "renew", "--out", device.toString(), "--force", "--data",
                    dir.resolve("no-such-data").toString(), "--server", "https://127.0.0.1:" + port);
            assertThat(onTheDevice.exitCode()).as(onTheDevice.err()).isZero();

            Processes.Result published = mosquittoPub(device, mqttPort, "devices/sensor-1/temp");
            assertThat(published.output()).as("connected through the gateway").contains("received CONNACK (0)");
            // mosquitto_pub is gone once it has sent DISCONNECT; the gateway ends the session a moment later.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !JSON.readTree(
                    Cli.run(with(connection, "device", "show", "sensor-1", "--json")).out())
                    .path("connection").path("connected").asBoolean(true));
            JsonNode shown = JSON.readTree(Cli.run(with(connection, "device", "show", "sensor-1", "--json")).out());
            assertThat(shown.path("connection").path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(shown.path("connection").path("last_seen").asText()).matches("\\d{4}-.*\\.\\d{3}Z");
            assertThat(Cli.run(with(connection, "device", "list")).out()).contains("no (last seen ");

            Cli.Result policy = Cli.run(with(connection, "policy", "set", "profile", "default", "--publish-allow",
                    "telemetry/{segment}/{id}", "--subscribe-deny", "devices/{id}/secret/#"));
            assertThat(policy.exitCode()).as(policy.err()).isZero();
            assertThat(policy.out()).contains("publish allow: telemetry/{segment}/{id}");
            Cli.Result allowed = Cli.run(with(connection, "policy", "test", "sensor-1", "telemetry/plant-a/sensor-1"));
            assertThat(allowed.exitCode()).as(allowed.err()).isZero();
            assertThat(allowed.out()).isEqualTo("allowed: rule 'telemetry/{segment}/{id}'\n");
            Cli.Result denied = Cli.run(with(connection, "policy", "test", "sensor-1", "devices/sensor-1/secret/#",
                    "--subscribe"));
            assertThat(denied.exitCode()).isEqualTo(3);
            assertThat(denied.out()).isEqualTo("refused: subscribe on 'devices/sensor-1/secret/#' is denied by rule"
                    + " 'devices/sensor-1/secret/#'\n");
            assertThat(Cli.run(with(connection, "policy", "test", "sensor-1", "a/#")).err())
                    .isEqualTo("palisade: 'a/#' is not a valid MQTT topic name (no wildcards)\n");
            assertThat(Cli.run(with(connection, "segment", "quarantine", "plant-a", "--reason", "worm")).out())
                    .contains("segment plant-a: quarantined");
            assertThat(Cli.run(with(connection, "device", "list")).out()).contains("via segment");
            mosquittoPub(device, mqttPort, "devices/sensor-1/temp");
            assertThat(Cli.run(with(connection, "device", "quarantine", "sensor-1", "--reason", "odd traffic"))
                    .exitCode()).isZero();
            first.killHard();
        }

        try (PalisadeProcess second = PalisadeProcess.start(data, port, mqttPort)) {
            assertThat(Files.readString(data.resolve("ca/root.crt"))).as("CA reused").isEqualTo(rootCa);
            Cli.Result shown = Cli.run(with(connection, "device", "show", "sensor-1", "--json"));
            JsonNode device = JSON.readTree(shown.out());
            assertThat(device.get("state").asText()).isEqualTo("enrolled");
            assertThat(device.get("quarantined").asBoolean()).isTrue();

            assertThat(Cli.run(with(connection, "policy", "show", "profile", "default")).out())
                    .contains("subscribe deny: devices/{id}/secret/#");
            assertThat(Cli.run(with(connection, "segment", "show", "plant-a")).out()).contains("quarantined");
            assertThat(Cli.run(with(connection, "segment", "release", "plant-a")).exitCode()).isZero();

            Cli.Result released = Cli.run(with(connection, "device", "release", "sensor-1"));
            assertThat(released.out()).contains("sensor-1").contains("no");
            JsonNode inventory = JSON.readTree(Cli.run(with(connection, "device", "certificates", "sensor-1", "--json"))
                    .out()).path("certificates");
            assertThat(inventory).as("enrolled, renewed three times").hasSize(4);
            List<String> notBefore = new java.util.ArrayList<>();
            inventory.forEach(c -> notBefore.add(c.path("not_before").asText()));
            assertThat(notBefore).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
            Cli.Result revoked = Cli.run(with(connection, "device", "revoke", "sensor-1", "--crl-reason",
                    "key-compromise", "--json"));
            assertThat(JSON.readTree(revoked.out()).get("revoked_serials")).as("enrolled, renewed three times").hasSize(4);
            List<String> inventorySerials = new java.util.ArrayList<>();
            inventory.forEach(c -> inventorySerials.add(c.path("serial").asText()));
            List<String> revokedSerials = new java.util.ArrayList<>();
            JSON.readTree(revoked.out()).get("revoked_serials").forEach(c -> revokedSerials.add(c.asText()));
            assertThat(revokedSerials).containsExactlyInAnyOrderElementsOf(inventorySerials);
            Cli.Result certificates = Cli.run(with(connection, "device", "certificates", "sensor-1"));
            assertThat(certificates.out().lines()).hasSize(5).first().asString().startsWith("SERIAL");
            assertThat(certificates.out().lines().skip(1)).allMatch(line -> line.contains(" revoked ")
                    && line.endsWith("(key-compromise)"));
            assertThat(Cli.run(with(connection, "device", "revoke", "sensor-1", "--crl-reason", "stolen")).err())
                    .contains("unknown revocation reason 'stolen'");

            Cli.Result events = Cli.run(with(connection, "events", "--json"));
            assertThat(events.out().lines().map(line -> readType(line)))
                    .containsSubsequence("cert.issued", "auth.failed", "cert.issued", "auth.succeeded",
                            "device.quarantined", "acl.denied", "device.quarantined", "device.released",
                            "device.released", "cert.revoked");
            // the same events as a SIEM reads them: one record per event, in order
            long stored = events.out().lines().count();
            Cli.Result cef = Cli.run(with(connection, "events", "--format", "cef"));
            assertThat(cef.out().lines()).hasSize((int) stored).allMatch(line -> line.startsWith("CEF:0|Palisade|Palisade|"));
            assertThat(cef.out().lines().map(line -> line.split("\\|")[4]))
                    .containsSubsequence("cert.issued", "auth.failed", "auth.succeeded", "acl.denied", "cert.revoked");
            assertThat(Cli.run(with(connection, "events", "--format", "rfc5424")).out().lines())
                    .hasSize((int) stored).allMatch(line -> line.matches("<\\d{1,3}>1 \\S+ \\S+ palisade - [a-z._]+ \\[palisade@32473 .*"));
            Cli.Result unknownFormat = Cli.run(with(connection, "events", "--format", "xml"));
            assertThat(unknownFormat.exitCode()).isEqualTo(2);
            assertThat(unknownFormat.err()).contains("unknown event format 'xml'; formats: cef, leef, ocsf, json, rfc5424");
            Processes.Result afterRevoke = mosquittoPub(dir.resolve("device"), mqttPort, "devices/sensor-1/temp");
            assertThat(afterRevoke.exitCode()).as("a revoked device cannot connect").isNotZero();

            Cli.Result unknown = Cli.run(with(connection, "device", "show", "ghost"));
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).isEqualTo("palisade: no device with id ghost is registered\n");
            assertThat(second.stop()).as("SIGTERM stops cleanly").isIn(0, 143);
        }
    }

    @Test
    void the_update_repository_is_served_over_https_to_the_update_client() throws Exception {
        Path data = dir.resolve("data");
        int port = PalisadeProcess.freePort();
        try (PalisadeProcess palisade = PalisadeProcess.start(data, port, PalisadeProcess.freePort())) {
            assertThat(Cli.run("repo", "init", "--data", data.toString()).exitCode()).isZero();
            Path image = dir.resolve("app.img");
            Files.write(image, EndToEndIT.class.getResourceAsStream("/payload.bin").readAllBytes());
            assertThat(Cli.run("repo", "add-target", image.toString(), "--name", "firmware/app-1.0.0.img", "--data",
                    data.toString()).exitCode()).isZero();
            Cli.Result published = Cli.run("repo", "publish", "--data", data.toString(), "--json");
            assertThat(JSON.readTree(published.out()).get("targets_version").asLong()).isEqualTo(2);

            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .sslContext(io.palisade.pki.TlsContexts.client(io.palisade.pki.Pem.readCertificates(
                            data.resolve("ca/root.crt")), java.util.Optional.empty()))
                    .sslParameters(io.palisade.pki.TlsContexts.clientParameters()).build();
            var client = new io.palisade.firmware.tuf.TufClient(new io.palisade.firmware.tuf.HttpRepository(
                    java.net.URI.create("https://localhost:" + port + "/tuf/"), http),
                    Files.readAllBytes(data.resolve("tuf/metadata/1.root.json")),
                    io.palisade.firmware.tuf.TufClient.TrustedState.NONE, java.time.Clock.systemUTC());
            client.refresh();
            assertThat(client.download("firmware/app-1.0.0.img")).isEqualTo(Files.readAllBytes(image));

            Processes.Result traversal = Processes.run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "--path-as-is", "--cacert", data.resolve("ca/root.crt").toString(),
                    "https://localhost:" + port + "/tuf/targets/../../admin.token"));
            assertThat(traversal.output()).isEqualTo("404");
        }
    }

    @Test
    void commands_without_a_running_instance_say_so_in_one_sentence() {
        Cli.Result result = Cli.run("device", "list", "--data", dir.resolve("nothing").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("palisade: no CA certificate at").hasLineCount(1);
    }

    private static Processes.Result mosquittoPub(Path device, int mqttPort, String topic) throws Exception {
        return Processes.run(List.of("mosquitto_pub", "-d", "-h", "localhost", "-p", Integer.toString(mqttPort),
                "--cafile", device.resolve("ca.pem").toString(), "--cert", device.resolve("cert.pem").toString(),
                "--key", device.resolve("key.pem").toString(), "-i", "sensor-1", "-t", topic, "-q", "1", "-m", "21.5"));
    }

    private static String readType(String line) {
        try {
            return JSON.readTree(line).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static String[] with(String[] connection, String... args) {
        String[] all = new String[args.length + connection.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(connection, 0, all, args.length, connection.length);
        return all;
    }
}
