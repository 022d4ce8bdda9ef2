package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.core.event.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mosquitto_pub/mosquitto_sub through the gateway into the real Mosquitto, and straight from Mosquitto. */
class MosquittoClientsIT {

    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(dir, GatewayLimits.defaults());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void a_device_publishes_through_the_gateway_and_the_broker_and_a_peer_device_receive_it() throws Exception {
        Path sensor = fixture.enroll("mq-sensor");
        Path console = fixture.enroll("mq-console");
        fixture.policies.put(io.palisade.core.policy.PolicyScope.profile("default"),
                new io.palisade.core.policy.TopicPolicy(List.of(), List.of(), List.of("devices/+/telemetry"), List.of()));
        int port = fixture.port();
        String topic = "devices/mq-sensor/telemetry";
        for (String version : new String[]{"mqttv311", "mqttv5"}) {
            Process direct = MosquittoClients.start(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", "1883", "-t",
                    topic, "-C", "1", "-W", "10", "-V", version));
            Process viaGateway = MosquittoClients.start(MosquittoClients.command("mosquitto_sub",
                    MosquittoClients.tlsArguments(console, port), "-i", "mq-console", "-t", "devices/+/telemetry",
                    "-q", "1", "-C", "1", "-W", "10", "-V", version));
            Thread.sleep(1000);
            var published = MosquittoClients.run(MosquittoClients.command("mosquitto_pub",
                    MosquittoClients.tlsArguments(sensor, port), "-i", "mq-sensor", "-t", topic, "-q", "1",
                    "-m", "21.5 " + version, "-V", version), 20);
            assertThat(published.exitCode()).as(published.output()).isZero();
            assertThat(direct.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(direct.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("21.5 " + version);
            assertThat(viaGateway.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(viaGateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("21.5 " + version);
        }
        assertThat(fixture.events(EventType.AUTH_SUCCEEDED)).isNotEmpty();
    }

    @Test
    void a_client_id_that_is_not_the_certificate_identity_is_refused() throws Exception {
        Path sensor = fixture.enroll("mq-liar");
        var v5 = MosquittoClients.run(MosquittoClients.command("mosquitto_pub", MosquittoClients.tlsArguments(sensor,
                fixture.port()), "-i", "someone-else", "-t", "devices/mq-liar/x", "-m", "x", "-V", "mqttv5"), 20);
        assertThat(v5.exitCode()).isNotZero();
        assertThat(v5.output()).containsIgnoringCase("client identifier not valid");
        var v3 = MosquittoClients.run(MosquittoClients.command("mosquitto_pub", MosquittoClients.tlsArguments(sensor,
                fixture.port()), "-i", "someone-else", "-t", "devices/mq-liar/x", "-m", "x", "-V", "mqttv311"), 20);
        assertThat(v3.exitCode()).isNotZero();
        assertThat(v3.output()).containsIgnoringCase("identifier rejected");
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.AUTH_FAILED).size() >= 2);
    }

    @Test
    void a_certificate_from_another_ca_fails_the_handshake() throws Exception {
        GatewayFixture other = new GatewayFixture(dir.resolve("other"), GatewayLimits.defaults());
        try {
            Path stranger = other.enroll("mq-stranger");
            Path trustsGateway = fixture.enroll("mq-honest");
            var result = MosquittoClients.run(List.of("mosquitto_pub", "-h", "localhost", "-p",
                    Integer.toString(fixture.port()), "--cafile", trustsGateway.resolve("ca.pem").toString(),
                    "--cert", stranger.resolve("cert.pem").toString(), "--key", stranger.resolve("key.pem").toString(),
                    "-t", "devices/mq-stranger/x", "-m", "x"), 20);
            assertThat(result.exitCode()).isNotZero();
        } finally {
            other.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !fixture.events(EventType.AUTH_FAILED).isEmpty());
        assertThat(fixture.events(EventType.AUTH_FAILED).get(0).message()).contains("TLS handshake");
    }
}
