package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.core.testing.PeerPorts;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT semantics preserved end to end through the gateway: retained messages, wills, persistent sessions, TLS upstream. */
class SemanticsIT {

    @TempDir
    Path dir;

    @Test
    void retained_messages_wills_and_persistent_sessions_behave_as_on_the_broker() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir, GatewayLimits.defaults())) {
            Path device = fixture.enroll("sem-1");
            // Retained: published through the gateway, delivered to a later subscriber.
            try (PahoClients.V3 publisher = new PahoClients.V3(fixture, device, "sem-1", true)) {
                publisher.client.publish("devices/sem-1/config", "retained-v1".getBytes(), 1, true);
            }
            try (PahoClients.V3 later = new PahoClients.V3(fixture, device, "sem-1", true)) {
                later.client.subscribe("devices/sem-1/config", 1);
                assertThat(later.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/sem-1/config retained-v1");
                later.client.publish("devices/sem-1/config", new byte[0], 1, true);
            }

            // Persistent session: a QoS 1 message published while the device is away is delivered when it returns.
            try (PahoClients.V3 persistent = new PahoClients.V3(fixture, device, "sem-1", false)) {
                persistent.client.subscribe("devices/sem-1/cmd", 1);
            }
            publishDirect("devices/sem-1/cmd", "while-away");
            try (PahoClients.V3 back = new PahoClients.V3(fixture, device, "sem-1", false)) {
                assertThat(back.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/sem-1/cmd while-away");
                back.client.unsubscribe("devices/sem-1/cmd");
            }

            // Will: published by the broker when the device's connection ends without DISCONNECT.
            MqttClient watcher = new MqttClient("tcp://127.0.0.1:1883", "sem-watcher-" + System.nanoTime(),
                    new MemoryPersistence());
            java.util.concurrent.BlockingQueue<String> wills = new java.util.concurrent.LinkedBlockingQueue<>();
            watcher.connect();
            watcher.subscribe("devices/sem-1/status", 1, (topic, message) -> wills.add(new String(message.getPayload())));
            MqttClient willing = new MqttClient("ssl://localhost:" + fixture.port(), "sem-1", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(fixture.socketFactory(device));
            options.setWill("devices/sem-1/status", "gone".getBytes(), 1, false);
            willing.connect(options);
            willing.disconnectForcibly(0, 0, false);
            assertThat(wills.poll(10, TimeUnit.SECONDS)).isEqualTo("gone");
            willing.close(true);
            watcher.disconnect();
            watcher.close();
        }
    }

    @Test
    void the_gateway_reaches_a_tls_upstream_with_its_own_credentials() throws Exception {
        int port = PeerPorts.free();
        int upstreamPort = port;
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        try (GatewayFixture fixture = new GatewayFixture(dir.resolve("gw"), GatewayLimits.defaults(), ca ->
                UpstreamAddress.parse("mqtts://palisade:s3cret@localhost:" + upstreamPort).withTrustAnchors(ca.chain()))) {
            KeyPair brokerKeys = KeyPairs.newP256();
            X509Certificate brokerCert = fixture.ca.issueServer(brokerKeys.getPublic(), List.of("localhost"),
                    Duration.ofDays(1));
            Pem.writeCertificates(brokerDir.resolve("broker.crt"), List.of(brokerCert, fixture.ca.issuing()));
            Pem.writePrivateKey(brokerDir.resolve("broker.key"), brokerKeys.getPrivate());
            Path passwords = brokerDir.resolve("passwords");
            Process passwd = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), "palisade",
                    "s3cret").redirectErrorStream(true).start();
            assertThat(passwd.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Path config = brokerDir.resolve("mosquitto.conf");
            Files.writeString(config, String.join("\n", "user " + System.getProperty("user.name"),
                    "listener " + port + " 127.0.0.1", "certfile " + brokerDir.resolve("broker.crt"),
                    "keyfile " + brokerDir.resolve("broker.key"), "allow_anonymous false",
                    "password_file " + passwords, "persistence false", ""));
            Process broker = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(brokerDir.resolve("log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", upstreamPort)) {
                        return true;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                Path device = fixture.enroll("tls-up-1");
                try (PahoClients.V3 client = new PahoClients.V3(fixture, device, "tls-up-1", true)) {
                    client.client.subscribe("devices/tls-up-1/#", 1);
                    client.client.publish("devices/tls-up-1/x", "over tls".getBytes(), 1, false);
                    assertThat(client.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/tls-up-1/x over tls");
                }
                assertThat(Files.readString(brokerDir.resolve("log"))).contains("u'palisade'");
            } finally {
                broker.destroy();
                broker.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void publishDirect(String topic, String payload) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "sem-direct-" + System.nanoTime(),
                new MemoryPersistence());
        client.connect();
        client.publish(topic, payload.getBytes(), 1, false);
        client.disconnect();
        client.close();
    }
}
