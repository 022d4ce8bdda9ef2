package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --upstream ...?lanes=qos0} against a real Mosquitto of the test's own (its log shows which client
 * ids connect): QoS 0 publishes of devices share one broker connection per event loop and arrive in
 * order; everything else keeps the device's own connection; a lane that ends takes its sessions with it
 * and is opened again; a No Local subscription, which the broker could no longer honour, is refused.
 */
class PublishLaneIT {

    private static final Pattern LANE = Pattern.compile("as (palisade-lane-[0-9a-f]+-\\d+)");

    @TempDir
    Path dir;
    private PrivateMosquitto broker;
    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        broker = PrivateMosquitto.start(dir.resolve("broker"));
        fixture = new GatewayFixture(dir.resolve("gw"), GatewayLimits.defaults(),
                broker.url() + "?lanes=qos0");
        // one lane per event loop, opened at the start
        await().atMost(Duration.ofSeconds(10)).until(() -> lanesInLog().size() >= Runtime.getRuntime().availableProcessors());
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        broker.close();
    }

    @Test
    void qos0_publishes_go_over_the_lane_in_order_and_qos1_over_the_device_connection() throws Exception {
        Path device = fixture.enroll("lane-1");
        try (PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/lane-1/#");
             PahoClients.V3 client = new PahoClients.V3(fixture, device, "lane-1", true)) {
            assertThat(fixture.gateway.sessionsOnLanes()).isEqualTo(1);
            for (int i = 0; i < 300; i++) {
                client.client.publish("devices/lane-1/t", ("m" + i).getBytes(), 0, false);
            }
            client.client.publish("devices/lane-1/t", "done".getBytes(), 1, false);
            List<String> arrived = new ArrayList<>();
            for (int i = 0; i < 301; i++) {
                String next = watcher.received.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("message %d", i).isNotNull();
                arrived.add(next.substring("devices/lane-1/t ".length()));
            }
            List<String> qos0 = arrived.stream().filter(m -> !m.equals("done")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add("m" + i);
            }
            assertThat(qos0).containsExactlyElementsOf(expected);
            assertThat(arrived).contains("done");
        }
        // The broker saw the device's own client id connect too (its CONNECT, will and QoS 1 go there).
        assertThat(broker.log()).contains(" as lane-1 ");
    }

    @Test
    void a_lane_that_ends_closes_its_sessions_and_is_opened_again() throws Exception {
        Path device = fixture.enroll("lane-2");
        List<String> before = lanesInLog();
        try (PahoClients.V3 client = new PahoClients.V3(fixture, device, "lane-2", true)) {
            assertThat(fixture.gateway.sessionsOnLanes()).isEqualTo(1);
            // Taking over every lane's client id makes the broker end the lanes (MQTT session takeover).
            List<MqttClient> impostors = new ArrayList<>();
            for (String lane : before) {
                MqttClient impostor = new MqttClient("tcp://127.0.0.1:" + broker.port, lane, new MemoryPersistence());
                impostor.connect();
                impostors.add(impostor);
            }
            assertThat(client.lost.poll(10, TimeUnit.SECONDS)).as("the device session ended with its lane").isNotNull();
            for (MqttClient impostor : impostors) {
                impostor.disconnect();
                impostor.close();
            }
        }
        // A new device session opens a new lane (after the retry pause) and then uses it.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (PahoClients.V3 again = new PahoClients.V3(fixture, device, "lane-2", true)) {
                return fixture.gateway.sessionsOnLanes() == 1;
            }
        });
        assertThat(lanesInLog()).hasSizeGreaterThan(before.size());
    }

    @Test
    void an_mqtt5_device_on_a_lane_publishes_but_cannot_subscribe_with_no_local() throws Exception {
        Path device = fixture.enroll("lane-3");
        try (PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/lane-3/#");
             PahoClients.V5 client = new PahoClients.V5(fixture, device, "lane-3")) {
            assertThat(fixture.gateway.sessionsOnLanes()).isEqualTo(1);
            MqttSubscription noLocal = new MqttSubscription("devices/lane-3/echo", 1);
            noLocal.setNoLocal(true);
            var token = client.client.subscribe(new MqttSubscription[] {noLocal,
                    new MqttSubscription("devices/lane-3/plain", 1)});
            try {
                token.waitForCompletion(10_000);
            } catch (org.eclipse.paho.mqttv5.common.MqttException expected) {
                // Paho reports a refused filter as an exception; the codes are on the token
            }
            assertThat(token.getReasonCodes()).containsExactly(0x83, 1);
            assertThat(client.publish("devices/lane-3/t", "v5 over the lane", 0)).isZero();
            assertThat(watcher.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/lane-3/t v5 over the lane");
        }
    }

    private List<String> lanesInLog() throws java.io.IOException {
        return broker.clientIds(LANE);
    }
}
