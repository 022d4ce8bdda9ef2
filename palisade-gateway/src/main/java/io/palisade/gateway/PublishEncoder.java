package io.palisade.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Encodes relayed PUBLISH packets without copying their payload: the fixed and variable header go
 * into a small buffer and the payload (a slice of what was read from the other side) follows it as
 * a second buffer, so the socket writes both in one gathering write. Netty's {@code MqttEncoder}
 * copies every payload into one new buffer; on the relay path that copy is pure overhead.
 *
 * <p>Only PUBLISH packets of at least {@value #MIN_PAYLOAD_BYTES} payload bytes and without MQTT 5
 * properties take this path: for small payloads one contiguous buffer is cheaper than a second I/O
 * vector and a retained slice, so those, and everything else, go on to {@code MqttEncoder}, which
 * must sit between this handler and the socket.
 */
@ChannelHandler.Sharable
final class PublishEncoder extends MessageToMessageEncoder<MqttPublishMessage> {

    static final PublishEncoder INSTANCE = new PublishEncoder();
    static final int MIN_PAYLOAD_BYTES = 1024;

    /** The attribute in which Netty's MQTT codec records the connection's protocol version. */
    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private PublishEncoder() {
        super(MqttPublishMessage.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        return super.acceptOutboundMessage(msg)
                && ((MqttPublishMessage) msg).payload().readableBytes() >= MIN_PAYLOAD_BYTES
                && ((MqttPublishMessage) msg).variableHeader().properties().isEmpty();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPublishMessage message, List<Object> out) {
        MqttVersion version = ctx.channel().attr(VERSION).get();
        boolean v5 = version == MqttVersion.MQTT_5;
        String topic = message.variableHeader().topicName();
        int topicBytes = ByteBufUtil.utf8Bytes(topic);
        int qos = message.fixedHeader().qosLevel().value();
        int variableHeader = 2 + topicBytes + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0);
        ByteBuf payload = message.payload();
        int remaining = variableHeader + payload.readableBytes();
        ByteBuf header = ctx.alloc().buffer(1 + 4 + variableHeader);
        header.writeByte(0x30 | (message.fixedHeader().isDup() ? 0x08 : 0) | qos << 1
                | (message.fixedHeader().isRetain() ? 0x01 : 0));
        writeRemainingLength(header, remaining);
        header.writeShort(topicBytes);
        ByteBufUtil.reserveAndWriteUtf8(header, topic, topicBytes);
        if (qos > 0) {
            header.writeShort(message.variableHeader().packetId());
        }
        if (v5) {
            header.writeByte(0); // property length: none
        }
        out.add(header);
        out.add(payload.retain());
    }

    private static void writeRemainingLength(ByteBuf buffer, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            buffer.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }
}
