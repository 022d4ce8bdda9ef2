package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's last packets and its DISCONNECT reach the broker even while the broker is writing to the
 * device: a device with a will subscribes to its own topic, sends a burst (which the broker echoes back),
 * a final QoS 0 publish and DISCONNECT, and closes. Counted at the broker by a direct subscriber, over
 * repeated runs: every final message arrives and no will is ever published.
 */
class DisconnectIT {

    private static final int RUNS = 12;
    private static final int BURST = 300;

    @TempDir
    Path dir;

    @Test
    void the_final_publish_and_disconnect_reach_the_broker_and_no_will_is_published() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir, GatewayLimits.defaults().withMessageRate(100_000, 100_000)
                .with("connects-per-second-per-device", "100"))) {
            Path device = fixture.enroll("bye-1");
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            MqttClient watcher = new MqttClient("tcp://127.0.0.1:1883", "bye-watcher-" + System.nanoTime(),
                    new MemoryPersistence());
            watcher.connect();
            watcher.subscribe("devices/bye-1/final", 0, (topic, message) -> seen.add(new String(message.getPayload())));
            watcher.subscribe("devices/bye-1/will", 0, (topic, message) -> seen.add("WILL"));
            try {
                for (int run = 0; run < RUNS; run++) {
                    sendBurstAndSayGoodbye(fixture, device, run);
                }
                List<String> finals = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (finals.size() < RUNS && System.nanoTime() < deadline) {
                    String next = seen.poll(200, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        finals.add(next);
                    }
                }
                Thread.sleep(1000); // a will would be published right after the connection ends
                seen.drainTo(finals);
                assertThat(finals).as("every final message, no will").containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(0, RUNS).mapToObj(i -> "final-" + i).toList());
            } finally {
                watcher.disconnect();
                watcher.close();
            }
        }
    }

    /** One device connection written as raw MQTT 3.1.1 bytes over TLS, ending in DISCONNECT. */
    private static void sendBurstAndSayGoodbye(GatewayFixture fixture, Path device, int run) throws Exception {
        try (SSLSocket socket = (SSLSocket) fixture.socketFactory(device).createSocket("localhost", fixture.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(bytes(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("bye-1")
                    .cleanSession(true).keepAlive(30).willFlag(true).willTopic("devices/bye-1/will")
                    .willMessage("gone".getBytes()).willQoS(MqttQoS.AT_MOST_ONCE).build()));
            out.flush();
            assertThat(in.read()).as("CONNACK").isEqualTo(0x20);
            in.readNBytes(3);
            out.write(bytes(MqttMessageBuilders.subscribe().messageId(1)
                    .addSubscription(MqttQoS.AT_MOST_ONCE, "devices/bye-1/echo").build()));
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            byte[] payload = new byte[512];
            for (int i = 0; i < BURST; i++) {
                burst.write(bytes(MqttMessageBuilders.publish().topicName("devices/bye-1/echo")
                        .qos(MqttQoS.AT_MOST_ONCE).payload(io.netty.buffer.Unpooled.wrappedBuffer(payload)).build()));
            }
            burst.write(bytes(MqttMessageBuilders.publish().topicName("devices/bye-1/final").qos(MqttQoS.AT_MOST_ONCE)
                    .payload(io.netty.buffer.Unpooled.copiedBuffer(("final-" + run).getBytes())).build()));
            burst.write(bytes(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                    MqttQoS.AT_MOST_ONCE, false, 0))));
            out.write(burst.toByteArray());
            out.flush();
            // A well-behaved client reads until the server closes: closing with unread data (the echoes)
            // would make its own kernel reset the connection and drop what the gateway had not yet read.
            byte[] drain = new byte[16384];
            try {
                while (in.read(drain) >= 0) {
                    // discard the echoes
                }
            } catch (java.io.IOException closed) {
                // the gateway closed the connection
            }
        }
    }

    /** A packet as a client sends it, encoded by Netty's MQTT encoder. */
    static byte[] bytes(MqttMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buffer;
        while ((buffer = encoder.readOutbound()) != null) {
            out.writeBytes(ByteBufUtil.getBytes(buffer));
            buffer.release();
        }
        encoder.finishAndReleaseAll();
        return out.toByteArray();
    }
}
