package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.device.Device;
import io.palisade.core.event.EventType;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.TopicFilters;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Checks a device's CONNECT against its certificate identity and policy, and builds what goes
 * upstream (the same session under the same client id, with the gateway's own broker credentials)
 * and what goes back to the device (the broker's CONNACK, adjusted to the gateway's limits).
 *
 * <p>The device id comes from the certificate, never from the CONNECT: a client id or user name that
 * names another identity is refused. An empty client id is given the device id (MQTT 3.1.1 only with
 * CleanSession=1, as MQTT-3.1.3-8 requires; MQTT 5 assigns one for either Clean Start).
 */
final class ConnectCheck {

    /** MQTT 5 properties the gateway does not pass on: it resolves no topic aliases and does no enhanced auth. */
    private static final Set<Integer> STRIPPED_CONNECT = Set.of(MqttProperties.TOPIC_ALIAS_MAXIMUM,
            MqttProperties.AUTHENTICATION_METHOD, MqttProperties.AUTHENTICATION_DATA);
    private static final Set<Integer> REPLACED_CONNACK = Set.of(MqttProperties.TOPIC_ALIAS_MAXIMUM,
            MqttProperties.RECEIVE_MAXIMUM, MqttProperties.MAXIMUM_PACKET_SIZE,
            MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, MqttProperties.SERVER_KEEP_ALIVE);

    /** MQTT 5's "never expires", as the unsigned Session Expiry Interval property holds it. */
    private static final int NEVER_EXPIRES = 0xFFFFFFFF;

    private final MqttConnectMessage connect;
    private final Device device;
    private final MqttVersion version;
    /** An MQTT 5 device whose broker speaks only 3.1.1 ({@link Mqtt5Over311}). */
    private final boolean over311;
    private MqttReplies.ConnectRefusal refusal;
    private String reason = "";
    private EventType eventType = EventType.AUTH_FAILED;
    private java.util.Map<String, String> details = java.util.Map.of();
    private boolean clientIdAssigned;
    private int keepAliveSeconds;
    private boolean keepAliveCapped;

    private ConnectCheck(MqttConnectMessage connect, Device device, boolean upstreamSpeaks5) {
        this.connect = connect;
        this.device = device;
        int level = connect.variableHeader().version();
        this.version = level == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
        this.over311 = version == MqttVersion.MQTT_5 && !upstreamSpeaks5;
    }

    static ConnectCheck of(MqttConnectMessage connect, Device device, PolicyBook policies, GatewayLimits limits,
                           boolean upstreamSpeaks5) {
        ConnectCheck check = new ConnectCheck(connect, device, upstreamSpeaks5);
        check.run(policies, limits);
        return check;
    }

    private void run(PolicyBook policies, GatewayLimits limits) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        String id = device.id().value();
        if (header.version() != 4 && header.version() != 5) {
            refuse(MqttReplies.ConnectRefusal.PROTOCOL_VERSION, EventType.PROTOCOL_VIOLATION,
                    "MQTT protocol level " + header.version() + " is not supported; use MQTT 3.1.1 or 5");
            return;
        }
        String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        if (clientId.isEmpty() && version == MqttVersion.MQTT_3_1_1 && !header.isCleanSession()) {
            // MQTT-3.1.3-8: a 3.1.1 server refuses a persistent session without a client id (MQTT 5 assigns one).
            refuse(MqttReplies.ConnectRefusal.CLIENT_ID, EventType.PROTOCOL_VIOLATION,
                    "an empty client id needs CleanSession=1 on MQTT 3.1.1");
            return;
        }
        if (clientId.isEmpty()) {
            clientIdAssigned = true;
        } else if (!clientId.equals(id)) {
            refuse(MqttReplies.ConnectRefusal.CLIENT_ID, EventType.AUTH_FAILED,
                    "client id '" + printable(clientId) + "' does not match the certificate's device id " + id);
            return;
        }
        if (header.hasUserName() && !id.equals(payload.userName())) {
            refuse(MqttReplies.ConnectRefusal.USERNAME, EventType.AUTH_FAILED,
                    "user name '" + printable(payload.userName()) + "' does not match the certificate's device id " + id);
            return;
        }
        if (version == MqttVersion.MQTT_5
                && header.properties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            refuse(MqttReplies.ConnectRefusal.AUTH_METHOD, EventType.AUTH_FAILED,
                    "enhanced authentication is not supported; the TLS client certificate authenticates");
            return;
        }
        if (header.isWillFlag()) {
            String willTopic = payload.willTopic();
            if (!TopicFilters.isValidTopicName(willTopic)) {
                refuse(MqttReplies.ConnectRefusal.TOPIC_INVALID, EventType.PROTOCOL_VIOLATION,
                        "the will topic is not a valid topic name");
                return;
            }
            AccessDecision decision = policies.decide(device, Action.PUBLISH, willTopic);
            if (!decision.allowed()) {
                refuse(MqttReplies.ConnectRefusal.NOT_AUTHORIZED, EventType.ACL_DENIED, "will: " + decision.reason());
                details = decision.details();
                return;
            }
        }
        if (over311 && header.isWillFlag() && !payload.willProperties().isEmpty()) {
            refuse(MqttReplies.ConnectRefusal.NOT_CARRIED, null,
                    "will properties cannot be carried to the MQTT 3.1.1 broker");
            return;
        }
        int requested = header.keepAliveTimeSeconds();
        int max = (int) limits.maxKeepAlive().toSeconds();
        keepAliveCapped = requested == 0 || requested > max;
        keepAliveSeconds = keepAliveCapped ? max : requested;
    }

    private void refuse(MqttReplies.ConnectRefusal why, EventType type, String text) {
        refusal = why;
        eventType = type;
        reason = text;
    }

    MqttVersion version() {
        return version;
    }

    /** How the gateway's own replies must look for this device (reason strings, packet size). */
    MqttReplies.Style replyStyle() {
        return MqttReplies.Style.of(version, connect.variableHeader().properties());
    }

    MqttReplies.ConnectRefusal refusal() {
        return refusal;
    }

    String reason() {
        return reason;
    }

    /** The security event a refusal raises; null when the CONNECT was fine but cannot be carried. */
    /** The refusal's structured details (the will's topic and rule for a refused will). */
    java.util.Map<String, String> details() {
        return details;
    }

    EventType eventType() {
        return eventType;
    }

    /** Whether this MQTT 5 device is carried over a 3.1.1 broker. */
    boolean over311() {
        return over311;
    }

    boolean clientIdAssigned() {
        return clientIdAssigned;
    }

    int effectiveKeepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** The CONNECT for the broker: the device's session under its device id, the gateway's credentials. */
    MqttConnectMessage upstreamConnect(UpstreamAddress upstream) {
        MqttConnectVariableHeader in = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        boolean hasUser = upstream.username().isPresent();
        boolean hasPassword = upstream.password().isPresent();
        // MQTT 3.1.1 has no way to tell the device a shorter keep-alive, so the broker gets what the device uses.
        int keepAlive = version == MqttVersion.MQTT_5 ? keepAliveSeconds : in.keepAliveTimeSeconds();
        MqttConnectVariableHeader out = over311
                ? new MqttConnectVariableHeader(MqttVersion.MQTT_3_1_1.protocolName(), MqttVersion.MQTT_3_1_1.protocolLevel(),
                        hasUser, hasPassword, in.isWillRetain(), in.willQos(), in.isWillFlag(), cleanSessionOver311(),
                        keepAlive, MqttProperties.NO_PROPERTIES)
                : new MqttConnectVariableHeader(in.name(), in.version(), hasUser, hasPassword, in.isWillRetain(),
                        in.willQos(), in.isWillFlag(), in.isCleanSession(), keepAlive,
                        MqttReplies.without(in.properties(), STRIPPED_CONNECT));
        MqttConnectPayload outPayload = new MqttConnectPayload(device.id().value(),
                over311 ? MqttProperties.NO_PROPERTIES : payload.willProperties(),
                payload.willTopic(), payload.willMessageInBytes(), upstream.username().orElse(null),
                upstream.password().map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null));
        return new MqttConnectMessage(new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false,
                0), out, outPayload);
    }

    /** The broker's CONNACK as the device should see it: the gateway's limits and the assigned client id. */
    MqttConnAckMessage deviceConnAck(MqttConnAckMessage upstream, GatewayLimits limits) {
        if (version != MqttVersion.MQTT_5) {
            return upstream;
        }
        MqttProperties in = upstream.variableHeader().properties();
        MqttProperties out = MqttReplies.without(in, REPLACED_CONNACK);
        out.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, receiveMaximum(upstream, limits)));
        out.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                Math.min(MqttReplies.intProperty(in, MqttProperties.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE), limits.maxPacketBytes())));
        if (clientIdAssigned) {
            out.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, device.id().value()));
        }
        if (keepAliveCapped) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAliveSeconds));
        }
        if (limits.maxTopicAliases() > 0) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, limits.maxTopicAliases()));
        }
        if (over311) {
            int used = cleanSessionOver311() ? 0 : NEVER_EXPIRES;
            if (used != requestedSessionExpiry()) {
                out.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, used));
            }
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
        }
        MqttConnAckVariableHeader header = new MqttConnAckVariableHeader(upstream.variableHeader().connectReturnCode(),
                upstream.variableHeader().isSessionPresent(), out);
        return new MqttConnAckMessage(upstream.fixedHeader(), header);
    }

    /** The broker's refusal as the device must get it (a 3.1.1 return code becomes an MQTT 5 reason code). */
    MqttConnAckMessage deviceConnAckRefused(MqttConnAckMessage upstream) {
        if (!over311) {
            return upstream;
        }
        return new MqttConnAckMessage(upstream.fixedHeader(), new MqttConnAckVariableHeader(
                Mqtt5Over311.connAckCode(upstream.variableHeader().connectReturnCode()), false,
                MqttProperties.NO_PROPERTIES));
    }

    /**
     * MQTT 3.1.1 keeps a session either until the next clean connect (CleanSession=0) or not at all: a
     * session that should outlive the connection (Session Expiry Interval > 0) and may be resumed (Clean
     * Start=0) is kept; any other is clean, and the device is told the expiry the broker applies.
     */
    private boolean cleanSessionOver311() {
        return connect.variableHeader().isCleanSession() || requestedSessionExpiry() == 0;
    }

    private int requestedSessionExpiry() {
        return MqttReplies.intProperty(connect.variableHeader().properties(), MqttProperties.SESSION_EXPIRY_INTERVAL, 0);
    }

    /**
     * How many QoS 1/2 publishes the device may have unfinished: the gateway's limit, and for MQTT 5 also
     * no more than the broker's Receive Maximum, which is what the device is told and what is enforced.
     */
    int receiveMaximum(MqttConnAckMessage upstream, GatewayLimits limits) {
        if (version != MqttVersion.MQTT_5) {
            return limits.maxInflight();
        }
        int broker = MqttReplies.intProperty(upstream.variableHeader().properties(), MqttProperties.RECEIVE_MAXIMUM, 65_535);
        return Math.min(broker, limits.maxInflight());
    }

    /** Client-chosen text in an event: cut and stripped of control characters. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

}
