package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoAP over DTLS end to end with libcoap's {@code coap-client-openssl} (Debian {@code libcoap3-bin}) as the device and
 * Mosquitto as the broker behind Palisade, {@code mosquitto_sub} reading what arrives: a device with a pre-shared key
 * from {@code device add --psk} and one with an enrolled certificate publish to their own topics; a wrong key fails
 * the handshake (recorded against the address), another device's topic is refused with the reason, a quarantined
 * device reaches only its quarantine channel.
 */
class CoapIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void psk_and_certificate_devices_publish_through_the_policy_and_the_rest_is_refused() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        int coapPort = PalisadeProcess.freePort();
        try (OwnMosquitto broker = OwnMosquitto.start(dir);
             PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                     PalisadeProcess.freePort(), List.of("--coap-port", Integer.toString(coapPort), "--upstream",
                             "mqtt://127.0.0.1:" + broker.port()))) {
            assertThat(palisade.output()).contains("CoAP/DTLS      coaps://");
            Cli.Result added = cli(at, "device", "add", "sensor-1", "--psk", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String psk = JSON.readTree(added.out()).path("psk").asText();
            assertThat(psk).matches("[0-9a-f]{32}");

            Process subscriber = broker.subscribe("devices/#", 2);
            Processes.Result sent = coap(List.of("-u", "sensor-1", "-k", psk), "post", coapPort,
                    "ps/devices/sensor-1/temp", "21.5");
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            assertThat(sent.output()).doesNotContain("4.0").doesNotContain("5.0");

            Processes.Result wrongKey = coap(List.of("-u", "sensor-1", "-k", "0".repeat(32)), "post", coapPort,
                    "ps/devices/sensor-1/temp", "99");
            assertThat(wrongKey.output()).doesNotContain("2.04");
            Processes.Result foreign = coap(List.of("-u", "sensor-1", "-k", psk), "post", coapPort,
                    "ps/devices/sensor-2/temp", "1");
            assertThat(foreign.output()).contains("4.03").contains("is outside what device sensor-1 may use");

            Path certificate = enroll(at, "sensor-2");
            Processes.Result byCertificate = coap(List.of("-c", certificate.resolve("cert.pem").toString(), "-j",
                    certificate.resolve("key.pem").toString(), "-R", certificate.resolve("ca.pem").toString()), "put",
                    coapPort, "ps/devices/sensor-2/temp", "19.0");
            assertThat(byCertificate.exitCode()).as(byCertificate.output()).isZero();
            assertThat(byCertificate.output()).doesNotContain("4.0");

            assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).as("two messages reached the broker").isTrue();
            String received = new String(subscriber.getInputStream().readAllBytes());
            assertThat(received).contains("devices/sensor-1/temp 21.5").contains("devices/sensor-2/temp 19.0")
                    .doesNotContain("99");

            // A raw public key (RFC 7250): sensor-2's own key, registered from its certificate; libcoap's GnuTLS
            // client, since its OpenSSL build has no RPK. An unregistered key completes the handshake and is refused.
            assertThat(cli(at, "device", "rpk", "sensor-2", "--public-key", certificate.resolve("cert.pem")
                    .toString()).out()).contains("raw public key of device sensor-2 registered");
            Path ecKey = dir.resolve("sensor-2-ec.pem");
            assertThat(Processes.run(List.of("openssl", "ec", "-in", certificate.resolve("key.pem").toString(), "-out",
                    ecKey.toString())).exitCode()).isZero();
            Process rpkSubscriber = broker.subscribe("devices/sensor-2/rpk", 1);
            String ca = certificate.resolve("ca.pem").toString(); // the device still checks the server's certificate
            Processes.Result byRpk = Processes.run(List.of("coap-client-gnutls", "-B", "5", "-m", "post", "-e", "7",
                    "-M", ecKey.toString(), "-R", ca, "coaps://127.0.0.1:" + coapPort + "/ps/devices/sensor-2/rpk"));
            assertThat(byRpk.output()).doesNotContain("4.0").doesNotContain("5.0").doesNotContain("cannot send");
            assertThat(rpkSubscriber.waitFor(25, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(rpkSubscriber.getInputStream().readAllBytes())).as("the RPK device's publish arrived")
                    .contains("devices/sensor-2/rpk 7");
            Path strangerKey = dir.resolve("stranger.pem");
            assertThat(Processes.run(List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    strangerKey.toString())).exitCode()).isZero();
            Processes.Result stranger = Processes.run(List.of("coap-client-gnutls", "-B", "5", "-m", "post", "-e",
                    "8", "-M", strangerKey.toString(), "-R", ca, "coaps://127.0.0.1:" + coapPort
                            + "/ps/devices/sensor-2/rpk"));
            assertThat(stranger.output()).contains("4.01").contains("registered to no device");

            // Observe (RFC 7641): a device watches a topic of its own tree; what the broker gets there is notified.
            List<String> observe = new ArrayList<>(List.of("coap-client-openssl", "-B", "12", "-s", "8", "-m", "get",
                    "-u", "sensor-1", "-k", psk, "coaps://127.0.0.1:" + coapPort + "/ps/devices/sensor-1/cmd"));
            Process observer = new ProcessBuilder(observe).redirectErrorStream(true).start();
            Thread.sleep(1500); // its observation registered (and the topic subscribed on the broker link)
            broker.publish("devices/sensor-1/cmd", "open-valve");
            Thread.sleep(300);
            broker.publish("devices/sensor-1/cmd", "close-valve");
            assertThat(observer.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(observer.getInputStream().readAllBytes())).contains("open-valve")
                    .contains("close-valve");
            Processes.Result latest = coap(List.of("-u", "sensor-1", "-k", psk), "get", coapPort,
                    "ps/devices/sensor-1/cmd", "");
            assertThat(latest.output()).as("a plain GET answers the newest message").contains("close-valve");
            // An observation of a filter: messages on any topic it matches, each with its topic, in JSON.
            List<String> filtered = new ArrayList<>(List.of("coap-client-openssl", "-B", "12", "-s", "8", "-m", "get",
                    "-u", "sensor-1", "-k", psk, "coaps://127.0.0.1:" + coapPort + "/ps/devices/sensor-1/cmd/%23"));
            Process filterObserver = new ProcessBuilder(filtered).redirectErrorStream(true).start();
            Thread.sleep(1500);
            broker.publish("devices/sensor-1/cmd/valve/3", "shut");
            assertThat(filterObserver.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(filterObserver.getInputStream().readAllBytes()))
                    .contains("{\"topic\":\"devices/sensor-1/cmd/valve/3\",\"payload\":\"shut\"}");
            Processes.Result foreignFilter = coap(List.of("-u", "sensor-1", "-k", psk), "get", coapPort,
                    "ps/devices/%2B/cmd", "");
            assertThat(foreignFilter.output()).as("a filter reaching other devices' trees").contains("4.03");

            Processes.Result spying = coap(List.of("-u", "sensor-1", "-k", psk), "get", coapPort,
                    "ps/devices/sensor-2/cmd", "");
            assertThat(spying.output()).contains("4.03");

            assertThat(cli(at, "device", "quarantine", "sensor-1", "--reason", "odd readings").exitCode()).isZero();
            Processes.Result confined = coap(List.of("-u", "sensor-1", "-k", psk), "post", coapPort,
                    "ps/devices/sensor-1/temp", "22");
            assertThat(confined.output()).contains("4.03").contains("quarantined");

            // A wrong key fails by timeout (Scandium drops what does not decrypt), some seconds after the attempt.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    events(at, "auth.failed").stream().anyMatch(e -> e.path("details").path("reason").asText()
                            .contains("a wrong key or an unknown PSK identity")));
            List<JsonNode> failed = events(at, "auth.failed");
            assertThat(failed).anySatisfy(e -> {
                assertThat(e.path("details").path("protocol").asText()).isEqualTo("coap");
                assertThat(e.path("source").asText()).isEqualTo("127.0.0.1");
                assertThat(e.has("device")).as("a wrong key proves nothing: counted against the address").isFalse();
            });
            assertThat(events(at, "acl.denied")).anySatisfy(e -> {
                assertThat(e.path("details").path("protocol").asText()).isEqualTo("coap");
                assertThat(e.path("device").asText()).isEqualTo("sensor-1");
                assertThat(e.path("details").path("topic").asText()).isEqualTo("devices/sensor-2/temp");
            });
        }
    }

    /** One request with {@code coap-client-openssl}; {@code -B} bounds it so a failure cannot hang. */
    private static Processes.Result coap(List<String> credentials, String method, int port, String path,
                                         String payload) throws Exception {
        List<String> command = new ArrayList<>(List.of("coap-client-openssl", "-B", "5", "-m", method));
        if (!payload.isEmpty()) {
            command.addAll(List.of("-e", payload));
        }
        command.addAll(credentials);
        command.add("coaps://127.0.0.1:" + port + "/" + path);
        return Processes.run(command);
    }

    private Path enroll(String[] at, String id) throws Exception {
        return Cli.enroll(at, id, dir.resolve(id));
    }

    private static List<JsonNode> events(String[] at, String type) {
        return Cli.events(at, type);
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
