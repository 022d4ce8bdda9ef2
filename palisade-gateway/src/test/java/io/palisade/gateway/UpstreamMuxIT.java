package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --upstream ...?mux=1} against a real Mosquitto of the test's own (its log shows which client ids
 * connect): device sessions share one MQTT 5 connection per event loop, and each device still gets what MQTT
 * promises it: its publishes at every QoS, each message its subscriptions match (once per subscription, even
 * where devices' filters overlap), retained messages when it subscribes and not when another device does, its
 * will when it vanishes and not when it says goodbye; a mux that ends takes its sessions with it and is opened
 * again.
 */
class UpstreamMuxIT {

    private static final Pattern MUX = Pattern.compile("as (palisade-mux-[0-9a-f]+-\\d+)");

    @TempDir
    Path dir;
    private PrivateMosquitto broker;
    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        broker = PrivateMosquitto.start(dir.resolve("broker"));
        fixture = new GatewayFixture(dir.resolve("gw"), GatewayLimits.defaults(),
                broker.url() + "?mux=1");
        fixture.policies.put(PolicyScope.profile("default"),
                new TopicPolicy(List.of("devices/#"), List.of(), List.of("devices/#", "fleet/#", "$share/#"), List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> muxesInLog().size() >= Runtime.getRuntime().availableProcessors());
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        broker.close();
    }

    @Test
    void devices_publish_at_every_qos_over_connections_they_share() throws Exception {
        List<PahoClients.V3> devices = new ArrayList<>();
        try (PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/#")) {
            for (int d = 0; d < 6; d++) {
                devices.add(new PahoClients.V3(fixture, fixture.enroll("mux-" + d), "mux-" + d, true));
            }
            assertThat(fixture.gateway.sessionsOnMuxes()).isEqualTo(6);
            for (int d = 0; d < 6; d++) {
                for (int qos = 0; qos <= 2; qos++) {
                    devices.get(d).client.publish("devices/mux-" + d + "/t", ("q" + qos).getBytes(), qos, false);
                }
            }
            List<String> arrived = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                String next = watcher.received.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("message %d", i).isNotNull();
                arrived.add(next);
            }
            for (int d = 0; d < 6; d++) {
                assertThat(arrived).contains("devices/mux-" + d + "/t q0", "devices/mux-" + d + "/t q1",
                        "devices/mux-" + d + "/t q2");
            }
        } finally {
            for (PahoClients.V3 device : devices) {
                device.close();
            }
        }
        String log = broker.log();
        assertThat(log).doesNotContain(" as mux-0 ").doesNotContain(" as mux-5 ");
        assertThat(muxesInLog()).hasSize(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void each_device_gets_what_its_own_subscriptions_match_once_each() throws Exception {
        List<PahoClients.V3> onOneMux = onOneMux("mux-wide", "mux-narrow", "mux-none");
        try (PahoClients.V3 wide = onOneMux.get(0);
             PahoClients.V3 narrow = onOneMux.get(1);
             PahoClients.V3 none = onOneMux.get(2);
             PrivateMosquitto.Watcher sender = broker.new Watcher("nothing/here")) {
            wide.client.subscribe("fleet/#", 1);
            narrow.client.subscribe("fleet/cmd", 1);
            sender.publish("fleet/cmd", "to both", 1, false);
            sender.publish("fleet/other", "to wide", 1, false);
            assertThat(wide.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/cmd to both");
            assertThat(wide.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/other to wide");
            assertThat(narrow.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/cmd to both");
            narrow.client.unsubscribe("fleet/cmd");
            sender.publish("fleet/cmd", "to wide only", 1, false);
            assertThat(wide.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/cmd to wide only");
            // nothing more: no copy of another device's subscription, none after unsubscribing
            assertThat(wide.received.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(narrow.received.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(none.received).isEmpty();
        }
    }

    @Test
    void a_retained_message_reaches_each_new_subscriber_and_no_one_twice() throws Exception {
        List<PahoClients.V3> onOneMux = onOneMux("mux-r1", "mux-r2");
        try (PrivateMosquitto.Watcher sender = broker.new Watcher("nothing/here");
             PahoClients.V3 first = onOneMux.get(0);
             PahoClients.V3 second = onOneMux.get(1)) {
            sender.publish("fleet/state", "kept", 1, true);
            first.client.subscribe("fleet/state", 1);
            assertThat(first.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/state kept");
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(MuxSubscriptions.RETAINED_WINDOW_NANOS) + 500);
            second.client.subscribe("fleet/state", 1);
            assertThat(second.received.poll(10, TimeUnit.SECONDS)).isEqualTo("fleet/state kept");
            assertThat(first.received.poll(1, TimeUnit.SECONDS)).as("the broker resent it for the second device").isNull();
        } finally {
            try (PrivateMosquitto.Watcher cleaner = broker.new Watcher("nothing/here")) {
                cleaner.publish("fleet/state", "", 1, true);
            }
        }
    }

    @Test
    void a_will_is_published_when_a_device_vanishes_and_not_when_it_disconnects() throws Exception {
        Path credentials = fixture.enroll("mux-will");
        try (PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/mux-will/status")) {
            MqttClient polite = willing(credentials);
            polite.disconnect();
            polite.close();
            MqttClient vanishing = willing(credentials);
            vanishing.disconnectForcibly(0, 0, false); // the TCP connection ends without DISCONNECT
            vanishing.close();
            assertThat(watcher.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/mux-will/status gone");
            assertThat(watcher.received.poll(1, TimeUnit.SECONDS)).as("only the vanished session's will").isNull();
        }
    }

    @Test
    void a_mux_that_ends_closes_its_sessions_and_is_opened_again() throws Exception {
        Path device = fixture.enroll("mux-again");
        List<String> before = muxesInLog();
        try (PahoClients.V3 client = new PahoClients.V3(fixture, device, "mux-again", true)) {
            assertThat(fixture.gateway.sessionsOnMuxes()).isEqualTo(1);
            List<MqttClient> impostors = new ArrayList<>();
            for (String mux : before) { // taking over a client id makes the broker end the mux
                MqttClient impostor = new MqttClient("tcp://127.0.0.1:" + broker.port, mux, new MemoryPersistence());
                impostor.connect();
                impostors.add(impostor);
            }
            assertThat(client.lost.poll(10, TimeUnit.SECONDS)).as("the device session ended with its mux").isNotNull();
            for (MqttClient impostor : impostors) {
                impostor.disconnect();
                impostor.close();
            }
        }
        try (PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/mux-again/#");
             PahoClients.V3 again = new PahoClients.V3(fixture, device, "mux-again", true)) {
            assertThat(fixture.gateway.sessionsOnMuxes()).isEqualTo(1);
            again.client.publish("devices/mux-again/t", "back".getBytes(), 1, false);
            assertThat(watcher.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/mux-again/t back");
        }
        assertThat(muxesInLog()).hasSizeGreaterThan(before.size());
    }

    @Test
    void without_a_broker_a_device_is_told_the_server_is_unavailable() throws Exception {
        Path device = fixture.enroll("mux-down");
        broker.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.sessionsOnMuxes() == 0);
        assertThatThrownBy(() -> new PahoClients.V3(fixture, device, "mux-down", true).close())
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.client.mqttv3.MqttException) e).getReasonCode())
                .isEqualTo((int) org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_BROKER_UNAVAILABLE);
    }

    @Test
    void an_mqtt5_device_is_told_what_a_shared_connection_cannot_do() throws Exception {
        try (PahoClients.V5 client = new PahoClients.V5(fixture, fixture.enroll("mux-v5"), "mux-v5");
             PrivateMosquitto.Watcher watcher = broker.new Watcher("devices/mux-v5/#")) {
            assertThat(client.subscribe("devices/mux-v5/in", "$share/group/fleet/jobs")).containsExactly(1, 0x9E);
            assertThat(client.publish("devices/mux-v5/t", "v5 over the mux", 1)).isZero();
            assertThat(watcher.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/mux-v5/t v5 over the mux");
        }
    }

    /**
     * Devices whose sessions share one mux: the gateway hands accepted connections to its event loops in turn
     * (Netty's chooser), so a device connected one loop-count after another lands on the same loop. The devices
     * in between are closed again; the loops see no other connections meanwhile.
     */
    private List<PahoClients.V3> onOneMux(String... ids) throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        List<PahoClients.V3> wanted = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            wanted.add(new PahoClients.V3(fixture, fixture.enroll(ids[i]), ids[i], true));
            for (int filler = 1; filler < loops && i < ids.length - 1; filler++) {
                String id = ids[i] + "-filler-" + filler;
                new PahoClients.V3(fixture, fixture.enroll(id), id, true).close();
            }
        }
        return wanted;
    }

    private MqttClient willing(Path credentials) throws Exception {
        MqttClient client = new MqttClient("ssl://localhost:" + fixture.port(), "mux-will", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(fixture.socketFactory(credentials));
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setWill("devices/mux-will/status", "gone".getBytes(), 1, false);
        client.connect(options);
        return client;
    }

    private List<String> muxesInLog() throws java.io.IOException {
        return broker.clientIds(MUX);
    }
}
