package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.palisade.core.testing.PeerPorts;
import io.palisade.core.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Floods, expired identities and a broker that goes away and comes back. */
class ResilienceIT {

    @TempDir
    Path dir;

    @Test
    void a_flooding_device_is_throttled_and_cut_off_while_its_neighbour_carries_on() throws Exception {
        GatewayLimits limits = GatewayLimits.defaults().withMessageRate(50, 50);
        try (GatewayFixture fixture = new GatewayFixture(dir, limits)) {
            Path flooder = fixture.enroll("flood-1");
            Path neighbour = fixture.enroll("calm-1");
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            PahoClients.V3 bad = new PahoClients.V3(fixture, flooder, "flood-1", true);
            Thread flood = new Thread(() -> {
                byte[] payload = new byte[512];
                try {
                    while (flooding.get()) {
                        bad.client.publish("devices/flood-1/spam", payload, 0, false);
                        sent.incrementAndGet();
                    }
                } catch (MqttException e) {
                    // Disconnected by the gateway: expected.
                }
            });
            flood.start();
            try (PahoClients.V3 good = new PahoClients.V3(fixture, neighbour, "calm-1", true)) {
                good.client.subscribe("devices/calm-1/#", 1);
                for (int i = 0; i < 20; i++) {
                    good.client.publish("devices/calm-1/temp", ("reading " + i).getBytes(), 1, false);
                    assertThat(good.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/calm-1/temp reading " + i);
                }
                assertThat(bad.lost.poll(30, TimeUnit.SECONDS)).as("flooder disconnected").isNotNull();
                assertThat(good.client.isConnected()).isTrue();
            } finally {
                flooding.set(false);
                flood.join(10_000);
                bad.close();
            }
            assertThat(sent.get()).isGreaterThan(50);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.QUOTA_EXCEEDED).stream()
                    .anyMatch(e -> e.message().contains("flood-1 disconnected")));
            assertThat(fixture.events(EventType.QUOTA_EXCEEDED)).noneMatch(e -> e.message().contains("calm-1"));
        }
    }

    @Test
    void connections_over_the_per_address_limits_are_closed_before_tls() throws Exception {
        GatewayLimits limits = GatewayLimits.defaults().withConnectionLimits(0.5, 2, 1000);
        try (GatewayFixture fixture = new GatewayFixture(dir, limits)) {
            // Attempt burst is twice the rate (1 here): of two attempts within two seconds, one is refused.
            // Which one depends on which worker thread admits first, so both are checked.
            try (java.net.Socket first = new java.net.Socket("127.0.0.1", fixture.port());
                 java.net.Socket second = new java.net.Socket("127.0.0.1", fixture.port())) {
                assertThat(List.of(closedByPeer(first), closedByPeer(second))).containsExactlyInAnyOrder(true, false);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.QUOTA_EXCEEDED).stream()
                    .anyMatch(e -> e.message().contains("connection attempts from 127.0.0.1")));
        }
        GatewayLimits concurrency = GatewayLimits.defaults().withConnectionLimits(100, 2, 1000);
        try (GatewayFixture fixture = new GatewayFixture(dir.resolve("c"), concurrency);
             java.net.Socket a = new java.net.Socket("127.0.0.1", fixture.port());
             java.net.Socket b = new java.net.Socket("127.0.0.1", fixture.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.gateway.connections() == 2);
            java.net.Socket c = new java.net.Socket("127.0.0.1", fixture.port());
            assertThat(closedByPeer(c)).as("third concurrent connection closed").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.QUOTA_EXCEEDED).stream()
                    .anyMatch(e -> e.message().contains("already has 2 connections")));
            c.close();
        }
    }

    @Test
    void an_expired_certificate_fails_the_handshake() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir, GatewayLimits.defaults())) {
            Path expired = fixture.enrollExpired("old-1");
            assertThatThrownBy(() -> new PahoClients.V3(fixture, expired, "old-1", true)).isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !fixture.events(EventType.AUTH_FAILED).isEmpty());
        }
    }

    @Test
    void devices_are_refused_while_the_broker_is_down_and_served_again_when_it_is_back() throws Exception {
        int port = PeerPorts.free();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        try (GatewayFixture fixture = new GatewayFixture(dir.resolve("gw"), GatewayLimits.defaults(),
                "mqtt://127.0.0.1:" + port)) {
            Path device = fixture.enroll("up-1");
            assertThatThrownBy(() -> new PahoClients.V3(fixture, device, "up-1", true))
                    .isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_BROKER_UNAVAILABLE));

            Process broker = startMosquitto(config, port);
            try {
                PahoClients.V3 client = new PahoClients.V3(fixture, device, "up-1", true);
                client.client.subscribe("devices/up-1/#", 1);
                client.client.publish("devices/up-1/x", "1".getBytes(), 1, false);
                assertThat(client.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/up-1/x 1");
                broker.destroy();
                broker.waitFor(10, TimeUnit.SECONDS);
                assertThat(client.lost.poll(10, TimeUnit.SECONDS)).as("device disconnected with its upstream").isNotNull();
                client.close();

                broker = startMosquitto(config, port);
                try (PahoClients.V3 again = new PahoClients.V3(fixture, device, "up-1", true)) {
                    again.client.subscribe("devices/up-1/#", 1);
                    again.client.publish("devices/up-1/x", "2".getBytes(), 1, false);
                    assertThat(again.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/up-1/x 2");
                }
            } finally {
                broker.destroy();
                broker.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** True when the peer closed the socket; false when it stays open (read times out). */
    private static boolean closedByPeer(java.net.Socket socket) throws java.io.IOException {
        socket.setSoTimeout(2000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static Process startMosquitto(Path config, int port) throws Exception {
        Process broker = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true).start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return broker;
    }
}
