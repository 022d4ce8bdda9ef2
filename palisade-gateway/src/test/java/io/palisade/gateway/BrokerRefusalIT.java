package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.event.EventType;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS flows the broker refuses, end to end: a real Mosquitto whose ACL lets each client write only
 * under devices/CLIENT/ok/, an MQTT 5 device through the gateway with max-inflight 2. Mosquitto answers
 * the refused QoS 2 publishes with PUBREC 0x87, which ends each flow: after three of them the session is
 * still up and an allowed publish goes through. (A raw client: Paho's Java v5 client closes its own
 * connection after a refused QoS 2 publish, straight against Mosquitto as well.)
 */
class BrokerRefusalIT {

    @TempDir
    Path dir;

    @Test
    void qos2_publishes_refused_by_the_brokers_acl_end_their_flows() throws Exception {
        Path acl = Files.createDirectories(dir.resolve("broker")).resolve("acl");
        Files.writeString(acl, "pattern readwrite devices/%c/ok/#\n");
        try (PrivateMosquitto broker = PrivateMosquitto.start(dir.resolve("broker"),
                     "acl_file " + acl + "\n");
             GatewayFixture fixture = new GatewayFixture(Files.createDirectories(dir.resolve("gw")),
                     GatewayLimits.defaults().withSessionLimits(4096, 10, 2), "mqtt://127.0.0.1:" + broker.port);
             SSLSocket socket = (SSLSocket) fixture.socketFactory(fixture.enroll("ref-1"))
                     .createSocket("localhost", fixture.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            Replies replies = new Replies(socket.getInputStream());
            Encoder encoder = new Encoder();
            out.write(encoder.bytes(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5)
                    .clientId("ref-1").cleanSession(true).keepAlive(30).build()));
            assertThat(replies.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
            for (int id = 1; id <= 3; id++) {
                out.write(encoder.bytes(MqttMessageBuilders.publish().topicName("devices/ref-1/forbidden")
                        .qos(MqttQoS.EXACTLY_ONCE).messageId(id).payload(Unpooled.copiedBuffer("no".getBytes()))
                        .build()));
                MqttMessage pubrec = replies.next();
                assertThat(pubrec.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBREC);
                assertThat(((MqttPubReplyMessageVariableHeader) pubrec.variableHeader()).reasonCode())
                        .as("Mosquitto's refusal, relayed").isEqualTo((byte) 0x87);
            }
            out.write(encoder.bytes(MqttMessageBuilders.publish().topicName("devices/ref-1/ok/x")
                    .qos(MqttQoS.AT_LEAST_ONCE).messageId(4).payload(Unpooled.copiedBuffer("yes".getBytes())).build()));
            MqttMessage puback = replies.next();
            assertThat(puback.fixedHeader().messageType()).as("the session is still up after three refused flows"
                    + " with max-inflight 2").isEqualTo(MqttMessageType.PUBACK);
            assertThat(fixture.events(EventType.QUOTA_EXCEEDED)).isEmpty();
        }
    }

    /** Where Netty's MQTT codec keeps a connection's protocol version (set by the server's decoder only). */
    private static final io.netty.util.AttributeKey<MqttVersion> VERSION =
            io.netty.util.AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    /** Encodes as an MQTT 5 client does: every packet in version 5 (PUBLISH with its property length). */
    private static final class Encoder {
        private final EmbeddedChannel channel = new EmbeddedChannel(io.netty.handler.codec.mqtt.MqttEncoder.INSTANCE);

        Encoder() {
            channel.attr(VERSION).set(MqttVersion.MQTT_5);
        }

        byte[] bytes(MqttMessage message) {
            channel.writeOutbound(message);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            io.netty.buffer.ByteBuf buffer;
            while ((buffer = channel.readOutbound()) != null) {
                out.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(buffer));
                buffer.release();
            }
            return out.toByteArray();
        }
    }

    /** Packets from the gateway, decoded by Netty's MQTT decoder from the socket's bytes. */
    private static final class Replies {
        private final InputStream in;
        private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());

        Replies(InputStream in) {
            this.in = in;
            decoder.attr(VERSION).set(MqttVersion.MQTT_5); // reason codes and properties in acknowledgements
        }

        MqttMessage next() throws Exception {
            byte[] buffer = new byte[4096];
            while (true) {
                MqttMessage message = decoder.readInbound();
                if (message != null) {
                    return message;
                }
                int read = in.read(buffer);
                assertThat(read).as("the gateway closed the connection").isPositive();
                decoder.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, read)));
            }
        }
    }
}
