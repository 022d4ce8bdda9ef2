package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * One SUBSCRIBE divided into the filters the gateway refused (with their reason codes) and the ones
 * it forwards upstream; when the broker's SUBACK for the forwarded ones arrives, {@link #merge}
 * puts the codes back in the device's original order, which MQTT requires.
 */
final class SubscribeSplit {

    private final int packetId;
    private final int[] refusedCodes;
    private final List<MqttTopicSubscription> forwarded = new ArrayList<>();

    /** @param refusedCodes per original filter: the refusal code, or -1 when the filter is forwarded */
    SubscribeSplit(int packetId, int[] refusedCodes, List<MqttTopicSubscription> all) {
        this.packetId = packetId;
        this.refusedCodes = refusedCodes.clone();
        for (int i = 0; i < all.size(); i++) {
            if (refusedCodes[i] < 0) {
                forwarded.add(all.get(i));
            }
        }
    }

    boolean forwardsAnything() {
        return !forwarded.isEmpty();
    }

    List<MqttTopicSubscription> forwarded() {
        return forwarded;
    }

    /** The SUBSCRIBE to send upstream: the same packet id and properties, only the forwarded filters. */
    MqttSubscribeMessage upstreamSubscribe(MqttProperties properties) {
        return new MqttSubscribeMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE,
                false, 0), new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttSubscribePayload(forwarded));
    }

    /** The SUBACK for the device: the broker's codes for forwarded filters, ours for refused ones. */
    MqttSubAckMessage merge(List<Integer> upstreamCodes, MqttProperties properties) {
        int[] codes = new int[refusedCodes.length];
        int next = 0;
        for (int i = 0; i < codes.length; i++) {
            if (refusedCodes[i] >= 0) {
                codes[i] = refusedCodes[i];
            } else {
                codes[i] = next < upstreamCodes.size() ? upstreamCodes.get(next) : 0x80;
                next++;
            }
        }
        return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties), new MqttSubAckPayload(codes));
    }

    /** A SUBACK for a SUBSCRIBE of which nothing was forwarded. */
    MqttSubAckMessage refusedOnly() {
        return merge(List.of(), MqttProperties.NO_PROPERTIES);
    }
}
