package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * The device-to-broker stage of a session for PUBLISH and PUBREL: topic aliases resolved, the
 * {@link PublishGate}'s verdict carried out (to the broker or the QoS 0 lane; refused with a reason code;
 * or the session ended), and PUBRELs of flows the gateway itself refused answered here.
 */
final class DevicePublishes {

    private final SessionLink link;
    private final SessionControl session;
    private final TopicAliases aliases;
    private final PublishGate gate;

    DevicePublishes(SessionLink link, SessionControl session, DeviceQuota quota) {
        this.link = link;
        this.session = session;
        this.aliases = new TopicAliases(link.gateway.limits().maxTopicAliases());
        this.gate = new PublishGate(link.address, link.gateway.policies(), quota, link.flows, link.gateway.events(),
                link.gateway.traffic());
    }

    void publish(MqttPublishMessage publish) {
        int alias = TopicAliases.aliasOf(publish);
        TopicAliases.Resolution resolved = aliases.resolve(publish.variableHeader().topicName(), alias);
        if (!resolved.ok()) {
            publish.release();
            session.violation(MqttReplies.TOPIC_ALIAS_INVALID, resolved.error());
            return;
        }
        String topic = resolved.topic();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        PublishGate.Verdict verdict = gate.publish(link.current, topic, qos, packetId, publish.fixedHeader().isDup(),
                publish.payload().nioBuffer(),
                link.over311 == null ? null : Mqtt5Over311.uncarriedProperty(publish), System.nanoTime());
        if (verdict instanceof PublishGate.Forward forward) {
            session.pauseReading(forward.pauseNanos());
            MqttPublishMessage relayed = alias == TopicAliases.NONE ? publish : TopicAliases.withFullTopic(publish, topic);
            if (qos == 0 && link.lane != null) {
                if (!link.lane.write(relayed)) {
                    session.laneFull();
                }
            } else {
                link.toBroker(relayed);
            }
            return;
        }
        publish.release();
        if (verdict instanceof PublishGate.Refuse refuse) {
            session.pauseReading(refuse.pauseNanos());
            refuse(qos, packetId, refuse.reasonCode());
        } else if (verdict instanceof PublishGate.Close close) {
            session.close(MqttReplies.disconnect(link.style, close.reasonCode(), close.reason()));
        }
    }

    /**
     * MQTT 5 gets the reason code (0x87 not authorized, 0x83 not carried). MQTT 3.1.1 cannot refuse a
     * publish: QoS 0 is dropped; QoS 1 and 2 are acknowledged and dropped, as Mosquitto does, so that the
     * device's session goes on; the gate reported why (acl.denied carries the full reason; the reply's
     * reason string would be short).
     */
    private void refuse(int qos, int packetId, byte reasonCode) {
        if (qos == 1) {
            link.toDevice(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, link.style, reasonCode));
        } else if (qos == 2) {
            link.toDevice(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, link.style, reasonCode));
        }
    }

    void pubrel(MqttMessage pubrel) {
        int packetId = SessionLink.packetId(pubrel);
        if (link.flows.pubrelAnsweredByGateway(packetId)) {
            link.toDevice(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, link.style, (byte) 0));
        } else {
            link.toBroker(pubrel);
        }
    }
}
