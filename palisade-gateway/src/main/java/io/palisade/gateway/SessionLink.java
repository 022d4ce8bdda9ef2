package io.palisade.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.palisade.core.device.Device;

/**
 * What the stages of one device session share: the gateway's services, the session's two connections
 * (and its QoS 0 lane), the device as it now stands, how to reply to it, and the QoS flows in flight.
 * The {@link DeviceSession} fills it in as the session gets going; everything runs on the session's
 * event loop except reading {@link #current}, which the control plane replaces from other threads.
 */
final class SessionLink {

    final GatewayServices gateway;
    final QosFlows flows;
    ChannelHandlerContext device;
    /** The session's broker side: its own connection, or its place on a shared one (null until the opening has one). */
    BrokerSide upstream;
    /** The shared connection for this session's QoS 0 publishes, or null ({@link PublishLane}). */
    PublishLane lane;
    /** The device as it stands (quarantine and release apply from the next packet). */
    volatile Device current;
    String address = "";
    MqttReplies.Style style = MqttReplies.Style.V3;
    /** Present when an MQTT 5 device is carried over a broker that speaks only 3.1.1. */
    Mqtt5Over311 over311;

    SessionLink(GatewayServices gateway) {
        this.gateway = gateway;
        this.flows = new QosFlows(gateway.limits().maxInflight());
    }

    void toDevice(Object message) {
        device.write(message);
    }

    void toBroker(Object message) {
        upstream.write(message);
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** The reason code of a PUBACK/PUBREC/PUBCOMP (0, success, when it has none: MQTT 3.1.1 or a short form). */
    static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() & 0xFF
                : 0;
    }
}
