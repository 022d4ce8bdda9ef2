package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that floods, is cut off and reconnects at once, for 20 s: counted at the broker, it gets no
 * more than its quota over those 20 s plus its burst, because the quota belongs to the device, not to
 * the connection (before, each reconnect started with a full bucket: 74x the quota got through).
 */
class QuotaReconnectIT {

    private static final int RATE = 100;
    private static final int BURST = 200;
    private static final long SECONDS = 20;

    @TempDir
    Path dir;

    @Test
    void reconnecting_after_every_cut_does_not_reset_the_quota() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir, GatewayLimits.defaults().withMessageRate(RATE, BURST)
                .with("max-throttle-seconds", "1").with("connects-per-second-per-device", "50"))) {
            Path device = fixture.enroll("flood-1");
            AtomicLong delivered = new AtomicLong();
            MqttClient watcher = new MqttClient("tcp://127.0.0.1:1883", "flood-watcher-" + System.nanoTime(),
                    new MemoryPersistence());
            watcher.connect();
            watcher.subscribe("devices/flood-1/#", 0, (topic, message) -> delivered.incrementAndGet());
            try {
                byte[] connect = DisconnectIT.bytes(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                        .clientId("flood-1").cleanSession(true).keepAlive(30).build());
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < 100; i++) {
                    batch.write(DisconnectIT.bytes(MqttMessageBuilders.publish().topicName("devices/flood-1/x")
                            .qos(MqttQoS.AT_MOST_ONCE).payload(io.netty.buffer.Unpooled.wrappedBuffer(new byte[16]))
                            .build()));
                }
                byte[] flood = batch.toByteArray();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
                int connections = 0;
                while (System.nanoTime() < end) {
                    connections++;
                    floodUntilCut(fixture, device, connect, flood, end);
                }
                Thread.sleep(1000);
                long allowed = RATE * SECONDS + BURST;
                System.out.printf("quota across reconnects: %d connections, %d messages reached the broker in %d s"
                        + " (allowed %d)%n", connections, delivered.get(), SECONDS, allowed);
                assertThat(connections).as("the device was cut off and came back").isGreaterThan(1);
                assertThat(delivered.get()).isLessThanOrEqualTo(allowed);
                assertThat(fixture.events(EventType.QUOTA_EXCEEDED)).isNotEmpty();
            } finally {
                watcher.disconnect();
                watcher.close();
            }
        }
    }

    /** One connection: CONNECT, then publish as fast as the gateway reads, until it closes the connection. */
    private static void floodUntilCut(GatewayFixture fixture, Path device, byte[] connect, byte[] flood, long end)
            throws Exception {
        try (SSLSocket socket = (SSLSocket) fixture.socketFactory(device).createSocket("localhost", fixture.port())) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(connect);
            out.flush();
            if (in.read() != 0x20 || in.readNBytes(3)[2] != 0) {
                return; // refused (reconnecting too fast): try again
            }
            socket.setSoTimeout(0);
            Thread reader = new Thread(() -> {
                try {
                    while (in.read() >= 0) {
                        // DISCONNECT or nothing: wait for the close
                    }
                } catch (IOException closed) {
                    // cut off
                }
            });
            reader.start();
            while (System.nanoTime() < end && reader.isAlive()) {
                out.write(flood);
                out.flush();
            }
        } catch (IOException cut) {
            // the gateway closed the connection while we wrote: reconnect
        }
    }
}
