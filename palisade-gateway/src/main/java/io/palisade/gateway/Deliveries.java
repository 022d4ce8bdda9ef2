package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.RecentDecisions;

/**
 * The broker-to-device stage of a session for PUBLISH and the acknowledgements of both directions'
 * QoS flows: each delivery checked against the device's standing (a quarantine after subscribing
 * withholds) and, for an MQTT 5 device over a 3.1.1 broker, its Maximum Packet Size; a withheld
 * delivery is acknowledged to the broker by the gateway, so the broker's flow completes.
 */
final class Deliveries {

    private final SessionLink link;
    /** May a message from the broker reach the device: recent decisions kept. */
    private final RecentDecisions decisions;

    Deliveries(SessionLink link) {
        this.link = link;
        this.decisions = new RecentDecisions(link.gateway.policies(), Action.SUBSCRIBE);
    }

    void deliver(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        // A 3.1.1 broker does not know the device's Maximum Packet Size: MQTT 5 says a packet too large for the
        // device is dropped as if delivered, which is what withholding does.
        boolean fits = link.over311 == null || Mqtt5Over311.deliveredSize(publish) <= link.style.maxPacketBytes();
        if (fits && decisions.decide(link.current, topic).allowed()) {
            if (qos == 2) {
                link.flows.deliveredToDevice(packetId);
            }
            link.gateway.traffic().delivered(link.current.id(), publish.payload().readableBytes());
            link.toDevice(publish);
            return;
        }
        publish.release();
        if (qos == 1) {
            link.toBroker(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, link.style, (byte) 0));
        } else if (qos == 2) {
            link.flows.withheldFromDevice(packetId);
            link.toBroker(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, link.style, (byte) 0));
        }
    }

    /** PUBREL from the broker: answered here for a withheld delivery, else relayed. */
    void pubrel(MqttMessage pubrel) {
        int packetId = SessionLink.packetId(pubrel);
        if (link.flows.pubrelOfWithheld(packetId)) {
            link.toBroker(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, link.style, (byte) 0));
        } else {
            link.toDevice(pubrel);
        }
    }

    /** PUBACK, PUBREC or PUBCOMP from the broker for a device's publish: the flow advances, the device is told. */
    void acknowledgement(MqttMessage reply) {
        int packetId = SessionLink.packetId(reply);
        switch (reply.fixedHeader().messageType()) {
            case PUBACK -> link.flows.pubAckFromBroker(packetId);
            case PUBREC -> link.flows.pubRecFromBroker(packetId, SessionLink.reasonCode(reply));
            case PUBCOMP -> link.flows.pubCompFromBroker(packetId);
            default -> throw new IllegalArgumentException("not an acknowledgement: " + reply.fixedHeader().messageType());
        }
        link.toDevice(reply);
    }
}
