package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * Packets the gateway itself sends, in the form each protocol version allows: MQTT 5 reason codes and
 * reason strings, MQTT 3.1.1 return codes (where 3.1.1 has no way to say no, the caller decides).
 */
final class MqttReplies {

    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte MALFORMED_PACKET = (byte) 0x81;
    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte UNSPECIFIED_ERROR = (byte) 0x80;
    static final byte BAD_AUTHENTICATION_METHOD = (byte) 0x8C;
    static final byte TOPIC_FILTER_INVALID = (byte) 0x8F;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;
    static final byte QUOTA_EXCEEDED = (byte) 0x97;
    static final byte ADMINISTRATIVE_ACTION = (byte) 0x98;
    static final byte TOPIC_NAME_INVALID = (byte) 0x90;
    static final byte TOPIC_ALIAS_INVALID = (byte) 0x94;
    static final int SUBACK_FAILURE_V3 = 0x80;

    private MqttReplies() {
    }

    /** Why a CONNECT is refused, mapped to each version's code. */
    enum ConnectRefusal {
        PROTOCOL_VERSION(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION),
        CLIENT_ID(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
        USERNAME(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
        NOT_AUTHORIZED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
        AUTH_METHOD(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD),
        TOPIC_INVALID(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID),
        SERVER_UNAVAILABLE(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5),
        QUOTA_EXCEEDED(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED),
        /** Valid MQTT 5 the broker behind cannot carry (only MQTT 5 devices meet it). */
        NOT_CARRIED(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                MqttConnectReturnCode.CONNECTION_REFUSED_IMPLEMENTATION_SPECIFIC);

        private final MqttConnectReturnCode v3;
        private final MqttConnectReturnCode v5;

        ConnectRefusal(MqttConnectReturnCode v3, MqttConnectReturnCode v5) {
            this.v3 = v3;
            this.v5 = v5;
        }
    }

    static MqttConnAckMessage connAckRefused(Style style, ConnectRefusal refusal, String reason) {
        if (style.v5()) {
            MqttProperties properties = new MqttProperties();
            String text = style.reasonFor(reason, 5);
            if (text != null) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, text));
            }
            return MqttMessageBuilders.connAck().returnCode(refusal.v5).properties(properties).build();
        }
        return MqttMessageBuilders.connAck().returnCode(refusal.v3).build();
    }

    /**
     * How the gateway may speak to one device: its protocol version and the largest packet it accepts
     * (MQTT 5 Maximum Packet Size: a reason string that would push a packet past it is left out).
     *
     * <p>The gateway's own reason strings go only on CONNACK and DISCONNECT, which MQTT 5 allows even
     * when the device set Request Problem Information to 0. Refused publishes get the bare reason code
     * (0x87), as Mosquitto sends it: clients such as Paho's test client cannot parse a PUBACK with
     * properties, and the full reason is in the {@code acl.denied} event.
     */
    record Style(MqttVersion version, int maxPacketBytes) {

        static final Style V3 = new Style(MqttVersion.MQTT_3_1_1, Integer.MAX_VALUE);

        /** The style a device asked for in its CONNECT. */
        static Style of(MqttVersion version, MqttProperties connectProperties) {
            if (version != MqttVersion.MQTT_5) {
                return V3;
            }
            return new Style(version, intProperty(connectProperties, MqttProperties.MAXIMUM_PACKET_SIZE,
                    Integer.MAX_VALUE));
        }

        boolean v5() {
            return version == MqttVersion.MQTT_5;
        }

        /** The reason string to attach to a packet of {@code sizeWithout} bytes, or null for none. */
        private String reasonFor(String reason, int sizeWithout) {
            if (reason == null || reason.isEmpty()) {
                return null;
            }
            String cut = shortReason(reason);
            // property id (1) + string length (2) + the string; the property length may grow by up to 1 byte
            long size = (long) sizeWithout + 1 + 2 + utf8Length(cut) + 1;
            return size <= maxPacketBytes ? cut : null;
        }
    }

    /** Longest reason string the gateway sends: the full reason goes into the security event. */
    static final int MAX_REASON_CHARS = 64;

    static String shortReason(String reason) {
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** A copy of {@code properties} without those whose id is in {@code excluded}. */
    static MqttProperties without(MqttProperties properties, java.util.Set<Integer> excluded) {
        MqttProperties copy = new MqttProperties();
        for (MqttProperties.MqttProperty<?> property : properties.listAll()) {
            if (!excluded.contains(property.propertyId())) {
                copy.add(property);
            }
        }
        return copy;
    }

    /** An integer property's value, or {@code absent} when the packet does not carry it. */
    static int intProperty(MqttProperties properties, int id, int absent) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(id);
        return property != null && property.value() instanceof Integer value ? value : absent;
    }

    /** A server-initiated DISCONNECT; only MQTT 5 has one (3.1.1 servers just close). */
    static MqttMessage disconnect(Style style, byte reasonCode, String reason) {
        MqttProperties properties = new MqttProperties();
        String text = style.reasonFor(reason, 4);
        if (text != null) {
            properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, text));
        }
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, properties));
    }

    /** PUBACK / PUBREC / PUBCOMP with a bare reason code (MQTT 5) or plain (3.1.1, where the code must be 0). */
    static MqttMessage pubReply(MqttMessageType type, int packetId, Style style, byte reasonCode) {
        MqttFixedHeader header = new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
        if (style.v5() && reasonCode != 0) {
            return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId, reasonCode,
                    MqttProperties.NO_PROPERTIES));
        }
        return new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId));
    }

    /**
     * A PUBACK/PUBREC/PUBREL/PUBCOMP under {@code packetId} carrying the reason and properties of {@code like} (an
     * answer relayed under another packet id), or plain when {@code like} is null or has none.
     */
    static MqttMessage relayedPubReply(MqttMessageType type, int packetId, MqttMessage like) {
        MqttFixedHeader header = new MqttFixedHeader(type, false,
                type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0);
        if (like != null && like.variableHeader() instanceof MqttPubReplyMessageVariableHeader answer) {
            return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId, answer.reasonCode(),
                    answer.properties()));
        }
        return new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId));
    }
}
