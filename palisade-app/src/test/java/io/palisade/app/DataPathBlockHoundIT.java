package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.MqttGateway;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;

/**
 * BlockHound (with Netty's integration, which marks event loop threads as non-blocking) records every
 * blocking call made on the gateway's event loops while devices do what devices do, through a whole
 * Palisade (store, detection, event pipeline) in front of the machine's Mosquitto: connect, publish at
 * QoS 0/1/2, get refused, subscribe and receive, flood past their quota, get quarantined and revoked
 * while connected, and fail TLS handshakes. None may be found. Runs in a JVM of its own (BlockHound
 * instruments the JDK for the whole process).
 */
class DataPathBlockHoundIT {

    private static final List<String> BLOCKED_ON_GATEWAY_LOOPS = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> BLOCKED_ELSEWHERE = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @BeforeAll
    static void installBlockHound() {
        BlockHound.Builder builder = BlockHound.builder();
        // Netty's integration (a service of netty-common) makes event loop threads the non-blocking ones.
        java.util.ServiceLoader.load(reactor.blockhound.integration.BlockHoundIntegration.class).forEach(builder::with);
        builder.blockingMethodCallback(method -> {
            String thread = Thread.currentThread().getName();
            StringBuilder where = new StringBuilder(method + " on " + thread);
            // The whole stack up to the first of our frames: the JDK and Netty frames between a lock and
            // the handler are what tells which lock it was (a failure must be diagnosable from CI's log).
            boolean ours = false;
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                boolean palisade = frame.getClassName().startsWith("io.palisade");
                if (!ours || palisade || frame.getClassName().startsWith("io.netty.handler")) {
                    where.append("\n    at ").append(frame);
                }
                ours |= palisade && !frame.getClassName().equals(DataPathBlockHoundIT.class.getName());
            }
            (thread.startsWith(MqttGateway.LOOP_THREADS + "-") ? BLOCKED_ON_GATEWAY_LOOPS : BLOCKED_ELSEWHERE)
                    .add(where.toString());
        }).install();
    }

    @Test
    void no_blocking_call_on_the_gateways_event_loops() throws Exception {
        // The instrument first: a thread like the gateway's loop threads that sleeps must be caught.
        Thread probe = new io.netty.util.concurrent.DefaultThreadFactory(MqttGateway.LOOP_THREADS + "-probe")
                .newThread(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                });
        probe.start();
        probe.join();
        assertThat(BLOCKED_ON_GATEWAY_LOOPS).as("BlockHound sees a sleeping loop thread").hasSize(1);
        BLOCKED_ON_GATEWAY_LOOPS.clear();

        GatewayLimits limits = GatewayLimits.defaults().withMessageRate(20, 20)
                .with("connects-per-second-per-address", "10000");
        try (RunningPalisade palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data"))
                        .withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.of("mqtt://127.0.0.1:1883"), Optional.empty(), limits),
                Clock.systemUTC())) {
            Client steady = new Client(palisade, EstEnrollment.enroll(palisade, dir, "bh-steady"), "bh-steady");
            Client flooder = new Client(palisade, EstEnrollment.enroll(palisade, dir, "bh-flood"), "bh-flood");
            Client revoked = new Client(palisade, EstEnrollment.enroll(palisade, dir, "bh-revoked"), "bh-revoked");

            steady.mqtt.subscribe("devices/bh-steady/#", 2);
            for (int qos = 0; qos <= 2; qos++) {
                steady.mqtt.publish("devices/bh-steady/q" + qos, ("m" + qos).getBytes(), qos, false);
            }
            steady.mqtt.publish("devices/bh-other/x", "refused".getBytes(), 1, false);
            for (int i = 0; i < 3; i++) {
                assertThat(steady.received.poll(10, TimeUnit.SECONDS)).startsWith("devices/bh-steady/q");
            }
            for (int i = 0; i < 200; i++) { // ten times its quota's burst: throttled, reported, observed
                flooder.mqtt.publish("devices/bh-flood/t", new byte[32], 0, false);
            }
            palisade.controlPlane().devices().quarantine("bh-steady", "test", Optional.of("withheld deliveries"));
            steady.mqtt.publish("quarantine/bh-steady/x", "while quarantined".getBytes(), 1, false);
            palisade.controlPlane().devices().revoke("bh-revoked", "test", Optional.of("kicked while connected"));
            // No client certificate: the gateway fails the handshake (TLS 1.3 tells s_client only afterwards).
            Processes.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + palisade.mqttPort(), "-brief"));
            Thread.sleep(2_000);
            steady.close();
            flooder.close();
            revoked.close();
        }
        System.out.println("blocking calls off the gateway's loops (not asserted): " + BLOCKED_ELSEWHERE.size());
        BLOCKED_ELSEWHERE.stream().distinct().limit(5).forEach(System.out::println);
        assertThat(BLOCKED_ON_GATEWAY_LOOPS).as("blocking calls on the gateway's event loops").isEmpty();
    }

    /** A Paho 3.1.1 device that records what arrives. */
    private static final class Client implements MqttCallback, AutoCloseable {
        final MqttClient mqtt;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        Client(RunningPalisade palisade, Path credentials, String id) throws Exception {
            mqtt = new MqttClient("ssl://localhost:" + palisade.mqttPort(), id, new MemoryPersistence());
            mqtt.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(TlsContexts.client(palisade.controlPlane().ca().chain(),
                    Optional.of(DeviceCredentials.read(credentials).identity())).getSocketFactory());
            options.setAutomaticReconnect(false);
            mqtt.connect(options);
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws Exception {
            if (mqtt.isConnected()) {
                mqtt.disconnectForcibly(1_000, 1_000);
            }
            mqtt.close(true);
        }
    }
}
