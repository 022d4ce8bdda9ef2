package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5 devices on {@code palisade up} without {@code --upstream}: the embedded broker speaks 3.1.1,
 * the gateway carries MQTT 5 over it and refuses, with MQTT 5 reason codes, what 3.1.1 cannot carry.
 * Clients: mosquitto_pub/mosquitto_sub {@code -V mqttv5} and Eclipse Paho's MQTT 5 client.
 */
class Mqtt5DefaultBrokerIT {

    @TempDir
    Path dir;

    private RunningPalisade palisade;
    private Path sender;
    private Path listener;
    private final List<Paho> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                        .withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(), GatewayLimits.defaults(),
                        Optional.empty()), Clock.systemUTC());
        sender = EstEnrollment.enroll(palisade, dir, "v5-sender");
        listener = EstEnrollment.enroll(palisade, dir, "v5-listener");
        // The listener may read the sender's tree (EstEnrollment registers devices in profile "sensor").
        palisade.controlPlane().policies().put(new PolicyScope(PolicyScope.Kind.PROFILE, "sensor"),
                new TopicPolicy(List.of(), List.of(), List.of("devices/v5-sender/#"), List.of()));
    }

    @AfterEach
    void stop() throws Exception {
        for (Paho client : clients) {
            client.close();
        }
        palisade.close();
    }

    @Test
    void mosquitto_clients_publish_and_subscribe_over_mqtt5_at_every_qos() throws Exception {
        Process subscriber = new ProcessBuilder(mosquitto("mosquitto_sub", listener, "-i", "v5-listener", "-t",
                "devices/v5-sender/#", "-q", "2", "-v", "-C", "3", "-W", "20")).redirectErrorStream(true).start();
        Thread.sleep(1_500); // mosquitto_sub prints nothing when subscribed: give it time to get there
        for (int qos = 0; qos <= 2; qos++) {
            Processes.Result published = Processes.run(mosquitto("mosquitto_pub", sender, "-t",
                    "devices/v5-sender/q" + qos, "-m", "m" + qos, "-q", Integer.toString(qos)));
            assertThat(published.exitCode()).as(published.output()).isZero();
        }
        assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String received = new String(subscriber.getInputStream().readAllBytes());
        assertThat(subscriber.exitValue()).as(received).isZero();
        assertThat(received.lines()).containsExactlyInAnyOrder("devices/v5-sender/q0 m0", "devices/v5-sender/q1 m1",
                "devices/v5-sender/q2 m2");

        // A user property cannot reach a 3.1.1 broker: the PUBREC says so (0x83), the client reports it.
        Processes.Result refused = Processes.run(mosquitto("mosquitto_pub", sender, "-t", "devices/v5-sender/up",
                "-m", "x", "-q", "2", "-D", "publish", "user-property", "unit", "celsius"));
        assertThat(refused.output()).contains("Implementation specific error");
    }

    @Test
    void what_mqtt_3_1_1_cannot_carry_is_refused_with_an_mqtt5_reason_code() throws Exception {
        Paho device = connect(sender, "v5-sender", true, 0);
        IMqttToken subscribed = device.client.subscribe(new MqttSubscription("devices/v5-sender/#", 1));
        subscribed.waitForCompletion(10_000);
        assertThat(subscribed.getReasonCodes()).containsExactly(1);
        MqttSubscription noLocal = new MqttSubscription("devices/v5-sender/nl", 1);
        noLocal.setNoLocal(true);
        IMqttToken refused = device.client.subscribe(new MqttSubscription[] {
                new MqttSubscription("$share/g/devices/v5-sender/x", 1), noLocal});
        waitQuietly(refused);
        assertThat(refused.getReasonCodes()).as("shared subscription, No Local").containsExactly(0x9E, 0x83);

        assertThat(device.publish("devices/v5-sender/plain", 1, null)).isZero();
        MqttProperties withUserProperty = new MqttProperties();
        withUserProperty.setUserProperties(List.of(new UserProperty("unit", "celsius")));
        assertThat(device.publish("devices/v5-sender/up", 1, withUserProperty)).isEqualTo(0x83);
        // (QoS 2 is refused in the PUBREC the same way; Paho's MQTT 5 client then drops its own connection,
        // so mosquitto_pub shows that below.)
        assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/v5-sender/plain");
        assertThat(device.received.poll(1, TimeUnit.SECONDS)).as("refused publishes went nowhere").isNull();

        IMqttToken unsubscribed = device.client.unsubscribe(new String[] {"devices/v5-sender/#", "nothing/here"});
        unsubscribed.waitForCompletion(10_000);
        assertThat(unsubscribed.getReasonCodes()).as("one reason code per filter").containsExactly(0, 0);

        // QoS 0 has no acknowledgement to carry a refusal: the session ends with DISCONNECT 0x83.
        MqttProperties contentType = new MqttProperties();
        contentType.setContentType("text/plain");
        device.publish("devices/v5-sender/ct", 0, contentType);
        MqttDisconnectResponse response = device.disconnected.poll(10, TimeUnit.SECONDS);
        assertThat(response).isNotNull();
        assertThat(response.getReturnCode()).isEqualTo(0x83);
    }

    @Test
    void sessions_persist_as_the_session_expiry_asks_and_a_will_can_be_requested_at_disconnect() throws Exception {
        Paho persistent = connect(sender, "v5-sender", false, 3600);
        assertThat(persistent.sessionExpiry).as("the broker keeps the session until a clean start").isEqualTo(0xFFFFFFFFL);
        persistent.client.subscribe(new MqttSubscription("devices/v5-sender/cmd", 1)).waitForCompletion(10_000);
        persistent.client.disconnect().waitForCompletion(10_000);

        Paho other = connect(listener, "v5-listener", true, 0);
        other.client.subscribe(new MqttSubscription("devices/v5-sender/#", 1)).waitForCompletion(10_000);
        Paho back = connect(sender, "v5-sender", false, 3600);
        assertThat(back.sessionPresent).isTrue();

        Paho clean = connectWithWill(sender);
        assertThat(clean.sessionPresent).isFalse();
        assertThat(clean.sessionExpiry).as("Clean Start with an expiry: 3.1.1 keeps nothing, and says so").isZero();
        // Reason 0x04: disconnect, and publish my will.
        clean.client.disconnect(10_000, null, null, 0x04, new MqttProperties()).waitForCompletion(10_000);
        assertThat(other.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/v5-sender/status");
    }

    private Paho connect(Path credentials, String id, boolean cleanStart, long sessionExpiry) throws Exception {
        MqttConnectionOptions options = options(credentials, cleanStart, sessionExpiry);
        return connect(id, options);
    }

    private Paho connectWithWill(Path credentials) throws Exception {
        MqttConnectionOptions options = options(credentials, true, 60);
        options.setWill("devices/v5-sender/status", new MqttMessage("gone".getBytes(), 1, false, null));
        return connect("v5-sender", options);
    }

    private Paho connect(String id, MqttConnectionOptions options) throws Exception {
        Paho paho = new Paho(new MqttAsyncClient("ssl://localhost:" + palisade.mqttPort(), id, new MemoryPersistence()));
        clients.add(paho);
        IMqttToken token = paho.client.connect(options);
        token.waitForCompletion(15_000);
        paho.sessionPresent = token.getSessionPresent();
        Long expiry = token.getResponseProperties() == null ? null
                : token.getResponseProperties().getSessionExpiryInterval();
        paho.sessionExpiry = expiry == null ? options.getSessionExpiryInterval() : expiry;
        return paho;
    }

    private MqttConnectionOptions options(Path credentials, boolean cleanStart, long sessionExpiry) throws Exception {
        DeviceCredentials device = DeviceCredentials.read(credentials);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TlsContexts.client(palisade.controlPlane().ca().chain(),
                Optional.of(device.identity())).getSocketFactory());
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpiry);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    private List<String> mosquitto(String program, Path credentials, String... arguments) {
        List<String> command = new ArrayList<>(List.of(program, "-V", "mqttv5", "-h", "localhost", "-p",
                Integer.toString(palisade.mqttPort()), "--cafile", credentials.resolve("ca.pem").toString(), "--cert",
                credentials.resolve("cert.pem").toString(), "--key", credentials.resolve("key.pem").toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static void waitQuietly(IMqttToken token) {
        try {
            token.waitForCompletion(10_000);
        } catch (MqttException refusedSubscriptions) {
            // Paho reports refused subscriptions as an exception; the codes are on the token.
        }
    }

    /** A Paho MQTT 5 client that records topics that arrive and how the server disconnected it. */
    private static final class Paho implements MqttCallback, AutoCloseable {
        final MqttAsyncClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnected = new LinkedBlockingQueue<>();
        boolean sessionPresent;
        Long sessionExpiry;

        Paho(MqttAsyncClient client) {
            this.client = client;
            client.setCallback(this);
        }

        /** Publishes and returns the acknowledgement's reason code (0 for QoS 0). */
        int publish(String topic, int qos, MqttProperties properties) throws MqttException {
            MqttMessage message = new MqttMessage("x".getBytes(), qos, false, properties);
            IMqttToken token = client.publish(topic, message);
            try {
                token.waitForCompletion(10_000);
            } catch (MqttException e) {
                return e.getReasonCode();
            }
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000, false);
            }
            client.close(true);
        }
    }
}
