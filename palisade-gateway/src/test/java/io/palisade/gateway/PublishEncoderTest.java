package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishEncoderTest {

    private static MqttPublishMessage publish(int qos, boolean dup, boolean retain, String topic, int payloadBytes,
                                              MqttProperties properties) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(topic, qos > 0 ? 4711 : -1, properties), Unpooled.wrappedBuffer(payload));
    }

    private static byte[] encode(MqttPublishMessage message, MqttVersion version, boolean fastPath) {
        EmbeddedChannel channel = fastPath ? new EmbeddedChannel(MqttEncoder.INSTANCE, PublishEncoder.INSTANCE)
                : new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
        channel.writeOutbound(message);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        channel.finishAndReleaseAll();
        return ByteBufUtil.getBytes(all);
    }

    @ParameterizedTest
    @CsvSource({
            "MQTT_3_1_1, 0, false, false, devices/d1/t, 0",
            "MQTT_3_1_1, 1, true, true, devices/d1/t, 256",
            "MQTT_3_1_1, 2, false, true, devices/d1/ünïcödé, 4096",
            "MQTT_5, 0, false, false, devices/d1/t, 127",
            "MQTT_5, 1, false, true, devices/d1/t, 128",
            "MQTT_5, 2, true, false, devices/d1/t, 20000",
            "MQTT_5, 1, false, false, devices/d1/t, 2100000",
    })
    void writes_the_same_bytes_as_nettys_encoder_without_copying_the_payload(MqttVersion version, int qos, boolean dup,
                                                                           boolean retain, String topic, int size) {
        // Small payloads are left to Netty's encoder (one contiguous buffer); either way the bytes must match.
        byte[] expected = encode(publish(qos, dup, retain, topic, size, MqttProperties.NO_PROPERTIES), version, false);
        MqttPublishMessage message = publish(qos, dup, retain, topic, size, MqttProperties.NO_PROPERTIES);
        ByteBuf payload = message.payload();
        assertThat(encode(message, version, true)).isEqualTo(expected);
        if (size > 0) { // an empty payload is Netty's shared EMPTY_BUFFER, which is never released
            assertThat(payload.refCnt()).as("the payload buffer is released once written").isZero();
        }
    }

    @ParameterizedTest
    @CsvSource({"MQTT_5"})
    void publishes_with_properties_are_left_to_nettys_encoder(MqttVersion version) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
        byte[] viaBoth = encode(publish(1, false, false, "devices/d1/t", 10, properties), version, true);
        byte[] viaNetty = encode(publish(1, false, false, "devices/d1/t", 10, properties), version, false);
        assertThat(viaBoth).isEqualTo(viaNetty);
        assertThat(new String(viaBoth, StandardCharsets.ISO_8859_1)).contains("text/plain");
    }

    @org.junit.jupiter.api.Test
    void large_payloads_leave_as_a_header_and_the_original_payload_buffer_small_ones_as_one_buffer() {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE, PublishEncoder.INSTANCE);
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_3_1_1);
        MqttPublishMessage large = publish(1, false, false, "devices/d1/t", 4096, MqttProperties.NO_PROPERTIES);
        ByteBuf payload = large.payload();
        channel.writeOutbound(large);
        ByteBuf header = channel.readOutbound();
        ByteBuf body = channel.readOutbound();
        assertThat(body).as("the payload itself, not a copy").isSameAs(payload);
        header.release();
        body.release();
        channel.writeOutbound(publish(1, false, false, "devices/d1/t", 256, MqttProperties.NO_PROPERTIES));
        ByteBuf whole = channel.readOutbound();
        assertThat((Object) channel.readOutbound()).isNull();
        whole.release();
        channel.finishAndReleaseAll();
    }
}
