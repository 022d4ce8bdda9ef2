package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import java.util.HashMap;
import java.util.Map;

/**
 * An MQTT 5 device's session carried over a broker that speaks only MQTT 3.1.1 (the embedded
 * Moquette, or an upstream given as {@code mqtt://HOST:PORT?mqtt=3.1.1}). What MQTT 5 says and 3.1.1
 * can also say is carried; what 3.1.1 cannot say is refused with an MQTT 5 reason code, never dropped
 * in silence:
 *
 * <ul>
 *   <li>PUBLISH properties other than a Topic Alias (which the gateway resolves): refused with 0x83
 *       (PUBACK/PUBREC for QoS 1/2; QoS 0 has no reply, so the session ends with DISCONNECT 0x83);</li>
 *   <li>SUBSCRIBE: shared subscriptions get 0x9E, No Local / Retain As Published / Retain Handling other
 *       than "send retained" get 0x83; a Subscription Identifier (announced as unavailable) is a protocol
 *       error (DISCONNECT 0xA1);</li>
 *   <li>UNSUBSCRIBE: 3.1.1 acknowledges without reason codes; the device gets 0x00 per filter;</li>
 *   <li>DISCONNECT with reason 0x04 (send my will): the broker connection ends without DISCONNECT, which is
 *       how a 3.1.1 broker is told to publish the will;</li>
 *   <li>the Session Expiry Interval maps onto CleanSession (see {@link ConnectCheck}); will properties
 *       refuse the CONNECT with 0x83.</li>
 * </ul>
 *
 * <p>One per session, confined to its event loop.
 */
final class Mqtt5Over311 {

    static final byte IMPLEMENTATION_SPECIFIC = (byte) 0x83;
    static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    static final byte SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = (byte) 0xA1;
    private static final byte DISCONNECT_WITH_WILL = 0x04;
    private static final String SHARE_PREFIX = "$share/";

    /** Filters per UNSUBSCRIBE in flight, to give the device one reason code each. */
    private final Map<Integer, Integer> unsubscribing = new HashMap<>();

    /** The first PUBLISH property the broker cannot get, or null when everything can be carried. */
    static String uncarriedProperty(MqttPublishMessage publish) {
        for (MqttProperties.MqttProperty<?> property : publish.variableHeader().properties().listAll()) {
            if (property.propertyId() != MqttProperties.TOPIC_ALIAS) {
                return propertyName(property.propertyId());
            }
        }
        return null;
    }

    /** Whether a SUBSCRIBE carries a Subscription Identifier, which the CONNACK said is unavailable. */
    static boolean hasSubscriptionIdentifier(MqttProperties subscribeProperties) {
        return subscribeProperties.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null;
    }

    /** {@link SubscriptionCheck#ACCEPTED}, or the reason code refusing a filter 3.1.1 cannot express. */
    static int refusalOf(MqttTopicSubscription subscription) {
        if (subscription.topicFilter() != null && subscription.topicFilter().startsWith(SHARE_PREFIX)) {
            return SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        MqttSubscriptionOption option = subscription.option();
        if (option.isNoLocal() || option.isRetainAsPublished()
                || option.retainHandling() != MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE) {
            return Byte.toUnsignedInt(IMPLEMENTATION_SPECIFIC);
        }
        return SubscriptionCheck.ACCEPTED;
    }

    /** An UNSUBSCRIBE of {@code filters} topic filters goes upstream. */
    void unsubscribing(int packetId, int filters) {
        unsubscribing.put(packetId, filters);
    }

    /** The broker's 3.1.1 UNSUBACK as an MQTT 5 device must get it: one reason code (success) per filter. */
    MqttMessage unsubAck(MqttMessage upstream) {
        int packetId = ((MqttMessageIdVariableHeader) upstream.variableHeader()).messageId();
        short[] codes = new short[unsubscribing.getOrDefault(packetId, 1)];
        unsubscribing.remove(packetId);
        return new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes));
    }

    /** Whether the device's DISCONNECT asks for its will (reason 0x04): then none goes to the broker. */
    static boolean wantsWill(MqttMessage disconnect) {
        return disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                && header.reasonCode() == DISCONNECT_WITH_WILL;
    }

    /** A 3.1.1 broker's CONNACK refusal in MQTT 5 terms. */
    static MqttConnectReturnCode connAckCode(MqttConnectReturnCode v3) {
        return switch (v3) {
            case CONNECTION_ACCEPTED -> MqttConnectReturnCode.CONNECTION_ACCEPTED;
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
                    MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED -> MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CONNECTION_REFUSED_NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            default -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
        };
    }

    /** The encoded size of a PUBLISH as the device would get it (no properties: a 3.1.1 broker sends none). */
    static long deliveredSize(MqttPublishMessage publish) {
        long remaining = 2L + io.netty.buffer.ByteBufUtil.utf8Bytes(publish.variableHeader().topicName())
                + (publish.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE ? 0 : 2) + 1
                + publish.payload().readableBytes();
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }

    private static String propertyName(int id) {
        return switch (id) {
            case MqttProperties.PAYLOAD_FORMAT_INDICATOR -> "payload format indicator";
            case MqttProperties.PUBLICATION_EXPIRY_INTERVAL -> "message expiry interval";
            case MqttProperties.CONTENT_TYPE -> "content type";
            case MqttProperties.RESPONSE_TOPIC -> "response topic";
            case MqttProperties.CORRELATION_DATA -> "correlation data";
            case MqttProperties.USER_PROPERTY -> "user property";
            case MqttProperties.SUBSCRIPTION_IDENTIFIER -> "subscription identifier";
            default -> "property " + id;
        };
    }
}
