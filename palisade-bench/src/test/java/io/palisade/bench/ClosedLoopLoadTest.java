package io.palisade.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generator's pre-encoded PUBLISH prefix, completed as the generator completes it, is a PUBLISH a broker reads. */
class ClosedLoopLoadTest {

    @ParameterizedTest
    @CsvSource({"0, 12", "1, 256", "1, 4096", "0, 200000"})
    void prefixPlusPacketIdAndPayloadDecodesAsThePublish(int qos, int payloadBytes) {
        byte[] prefix = ClosedLoopLoad.publishPrefix("devices/dev-7/bench", qos, payloadBytes);
        var packet = Unpooled.buffer().writeBytes(prefix);
        if (qos > 0) {
            packet.writeShort(4242);
        }
        packet.writeZero(payloadBytes);
        EmbeddedChannel broker = new EmbeddedChannel(new MqttDecoder(1 << 20));
        broker.writeInbound(packet);
        MqttPublishMessage publish = broker.readInbound();
        assertEquals("devices/dev-7/bench", publish.variableHeader().topicName());
        assertEquals(qos, publish.fixedHeader().qosLevel().value());
        assertEquals(qos > 0 ? 4242 : -1, publish.variableHeader().packetId());
        assertEquals(payloadBytes, publish.payload().readableBytes());
        publish.release();
        broker.finishAndReleaseAll();
    }
}
