package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.core.testing.KafkaBroker;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code palisade up} processes on one PostgreSQL, one Kafka and the machine's Mosquitto; devices know both
 * (a client-side server list, as Paho and most device SDKs offer) and publish QoS 1 without pause. One instance is
 * killed with -9: its devices reconnect to the other, and every publish a device saw acknowledged reaches a
 * subscriber on the upstream broker.
 */
class ScaleOutFaultsIT {

    private static final int DEVICES = 20;

    @TempDir
    Path dir;

    @Test
    void kill_9_of_one_instance_under_qos1_load_loses_no_acknowledged_message() throws Exception {
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        try (PrivatePostgres postgres = PrivatePostgres.start(); KafkaBroker kafka = KafkaBroker.start(dir)) {
            Path dataA = dir.resolve("a");
            Path dataB = dir.resolve("b");
            List<String> shared = List.of("--store", postgres.storeUrl(), "--upstream", "mqtt://127.0.0.1:1883",
                    "--bus", kafka.busUrl(), "--limit", "connects-per-second-per-address=10000", "--no-auto-quarantine");
            PalisadeProcess.start(dataA, PalisadeProcess.freePort(), PalisadeProcess.freePort(), with(shared, "gw-a"))
                    .stop();
            InstanceData.copy(dataA, dataB);
            try (PalisadeProcess a = PalisadeProcess.start(dataA, PalisadeProcess.freePort(), PalisadeProcess.freePort(),
                    with(shared, "gw-a"));
                 PalisadeProcess b = PalisadeProcess.start(dataB, PalisadeProcess.freePort(),
                         PalisadeProcess.freePort(), with(shared, "gw-b"));
                 Subscriber upstream = new Subscriber("devices/+/load")) {
                List<LoadDevice> devices = new ArrayList<>();
                for (int i = 0; i < DEVICES; i++) {
                    String id = "f" + run + "-" + i;
                    Path credentials = Cli.enroll(new String[] {"--data", dataA.toString()}, id, dir.resolve(id));
                    devices.add(new LoadDevice(id, credentials, a.mqttPort, b.mqttPort));
                }
                try {
                    devices.forEach(LoadDevice::start);
                    Thread.sleep(3_000);
                    long beforeKill = devices.stream().mapToLong(d -> d.acknowledged.size()).sum();
                    assertThat(beforeKill).as("publishes acknowledged through A before the kill").isPositive();
                    long killed = System.nanoTime();
                    a.killHard();
                    await().atMost(Duration.ofSeconds(60)).until(() -> devices.stream().allMatch(d -> d.reconnects.get() > 0
                            && d.acknowledgedSince(killed)));
                    double failover = (System.nanoTime() - killed) / 1e9;
                    Thread.sleep(2_000);
                    devices.forEach(LoadDevice::stop);
                    long acknowledged = devices.stream().mapToLong(d -> d.acknowledged.size()).sum();
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        for (LoadDevice device : devices) {
                            assertThat(upstream.received).as("acknowledged publishes of " + device.id + " upstream")
                                    .containsAll(device.acknowledged);
                        }
                    });
                    System.out.printf("kill -9 of one of 2 instances under QoS 1 load: %d devices back publishing through"
                            + " the other within %.1f s; %d publishes acknowledged (%d before the kill), all %d received"
                            + " upstream%n", DEVICES, failover, acknowledged, beforeKill, acknowledged);
                } finally {
                    devices.forEach(LoadDevice::close);
                }
            }
        }
    }

    private static List<String> with(List<String> shared, String instance) {
        List<String> options = new ArrayList<>(shared);
        options.addAll(List.of("--instance", instance));
        return options;
    }

    /** A Paho MQTT 5 subscriber directly on the upstream broker: every payload it received. */
    private static final class Subscriber implements MqttCallback, AutoCloseable {
        final Set<String> received = ConcurrentHashMap.newKeySet();
        private final MqttAsyncClient client;

        Subscriber(String filter) throws MqttException {
            client = new MqttAsyncClient("tcp://127.0.0.1:1883", "load-sub-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
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
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    /**
     * A device that knows both instances (A first) and publishes QoS 1, one at a time, as fast as acknowledgements
     * come; Paho reconnects it to the next server on the list when its connection breaks.
     */
    private static final class LoadDevice implements MqttCallback {
        final String id;
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong reconnects = new AtomicLong();
        private final MqttAsyncClient client;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long lastAcknowledged;
        private final Thread publisher;

        LoadDevice(String id, Path credentials, int portA, int portB) throws Exception {
            this.id = id;
            DeviceCredentials device = DeviceCredentials.read(credentials);
            client = new MqttAsyncClient("ssl://localhost:" + portA, id, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setServerURIs(new String[] {"ssl://localhost:" + portA, "ssl://localhost:" + portB});
            options.setSocketFactory(TlsContexts.client(device.caCertificates(), Optional.of(device.identity()))
                    .getSocketFactory());
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            options.setConnectionTimeout(5);
            client.connect(options).waitForCompletion(15_000);
            publisher = new Thread(this::publishLoop, "load-" + id);
            publisher.setDaemon(true);
        }

        void start() {
            publisher.start();
        }

        boolean acknowledgedSince(long nanos) {
            return lastAcknowledged > nanos;
        }

        private void publishLoop() {
            long sequence = 0;
            while (running.get()) {
                String payload = id + ":" + sequence++;
                try {
                    if (!client.isConnected()) {
                        Thread.sleep(50);
                        continue;
                    }
                    IMqttToken token = client.publish("devices/" + id + "/load",
                            new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
                    token.waitForCompletion(5_000);
                    int[] codes = token.getReasonCodes();
                    if (codes == null || codes.length == 0 || codes[0] < 0x80) {
                        acknowledged.add(payload);
                        lastAcknowledged = System.nanoTime();
                    }
                } catch (MqttException e) {
                    // not acknowledged: the connection broke under it, or the reconnect is under way
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running.set(false);
            try {
                publisher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            stop();
            try {
                client.disconnectForcibly(100, 100, false);
            } catch (MqttException ignored) {
                // already gone
            }
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                reconnects.incrementAndGet();
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
