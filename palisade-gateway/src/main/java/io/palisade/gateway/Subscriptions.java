package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The subscription stage of a session: each filter of a SUBSCRIBE checked (what the broker can carry,
 * what a QoS 0 lane allows, policy, the subscription limit); refused filters are answered by the gateway
 * and the rest go to the broker, whose SUBACK is merged with the refusals in the device's order.
 */
final class Subscriptions {

    private final SessionLink link;
    private final SessionControl session;
    private final Map<Integer, SubscribeSplit> pending = new HashMap<>();
    private final Set<String> filters = new HashSet<>();

    Subscriptions(SessionLink link, SessionControl session) {
        this.link = link;
        this.session = session;
    }

    void subscribe(MqttSubscribeMessage subscribe) {
        var topics = subscribe.payload().topicSubscriptions();
        if (link.over311 != null
                && Mqtt5Over311.hasSubscriptionIdentifier(subscribe.idAndPropertiesVariableHeader().properties())) {
            session.violation(Mqtt5Over311.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "a Subscription Identifier, which the CONNACK said is unavailable");
            return;
        }
        GatewayServices gateway = link.gateway;
        int[] refused = new int[topics.size()];
        int accepted = 0;
        for (int i = 0; i < topics.size(); i++) {
            refused[i] = link.over311 != null ? Mqtt5Over311.refusalOf(topics.get(i))
                    : link.lane != null ? PublishLane.refusalOf(topics.get(i))
                    : link.upstream instanceof MuxedSession ? MuxedSession.refusalOf(topics.get(i), link.style.v5())
                    : SubscriptionCheck.ACCEPTED;
            if (refused[i] >= 0) {
                continue;
            }
            refused[i] = SubscriptionCheck.refusalCode(topics.get(i).topicFilter(), link.current, link.style.version(),
                    gateway.policies(), filters.size() + accepted, gateway.limits().maxSubscriptions(), this::refused);
            if (refused[i] < 0) {
                accepted++;
            }
        }
        SubscribeSplit split = new SubscribeSplit(subscribe.variableHeader().messageId(), refused, topics);
        if (!split.forwardsAnything()) {
            link.toDevice(split.refusedOnly());
            return;
        }
        split.forwarded().forEach(t -> {
            filters.add(t.topicFilter());
            gateway.traffic().subscribed(link.current.id(), t.topicFilter());
        });
        pending.put(subscribe.variableHeader().messageId(), split);
        link.toBroker(split.upstreamSubscribe(subscribe.idAndPropertiesVariableHeader().properties()));
    }

    private void refused(EventType type, String reason, java.util.Map<String, String> details) {
        link.gateway.events().emit(type, Severity.MEDIUM, link.current.id(), link.address, reason, details);
    }

    void unsubscribe(MqttUnsubscribeMessage unsubscribe) {
        filters.removeAll(unsubscribe.payload().topics());
        if (link.over311 != null) {
            link.over311.unsubscribing(unsubscribe.variableHeader().messageId(), unsubscribe.payload().topics().size());
        }
        link.toBroker(unsubscribe);
    }

    /** The broker's SUBACK, merged with the gateway's refusals of the same SUBSCRIBE. */
    void subAck(MqttSubAckMessage subAck) {
        SubscribeSplit split = pending.remove(subAck.variableHeader().messageId());
        if (split == null) {
            link.toDevice(subAck);
            return;
        }
        link.toDevice(split.merge(subAck.payload().reasonCodes(), subAck.idAndPropertiesVariableHeader().properties()));
    }

    void unsubAck(MqttMessage unsubAck) {
        link.toDevice(link.over311 == null ? unsubAck : link.over311.unsubAck(unsubAck));
    }
}
