package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.event.EventType;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT conformance of the session: QoS 2 flows with refusals on either side, the empty client id of
 * MQTT 3.1.1, topic aliases, reason strings the device can take, quotas across reconnects.
 */
class MqttConformanceTest {

    @TempDir
    Path dir;

    private SessionHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private int harnesses;

    private SessionHarness harness(GatewayLimits limits) {
        harness = new SessionHarness(dir.resolve("h" + harnesses++), limits);
        return harness;
    }

    private static MqttMessage pubrel(int packetId) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(packetId));
    }

    private static List<MqttMessageType> types(List<MqttMessage> messages) {
        return messages.stream().map(m -> m.fixedHeader().messageType()).toList();
    }

    @Test
    void qos2_publishes_the_broker_refuses_do_not_stay_in_flight() {
        SessionHarness h = harness(GatewayLimits.defaults().withSessionLimits(4096, 10, 2));
        h.connected(MqttVersion.MQTT_5);
        h.brokerReasonCode = 0x87;
        for (int id = 1; id <= 3; id++) {
            h.send(SessionHarness.publish("devices/unit-1/a", 2, id, "refused upstream"));
        }
        List<MqttMessage> replies = h.received();
        assertThat(types(replies)).containsExactly(MqttMessageType.PUBREC, MqttMessageType.PUBREC,
                MqttMessageType.PUBREC);
        assertThat(replies).allSatisfy(m -> assertThat(
                ((MqttPubReplyMessageVariableHeader) m.variableHeader()).reasonCode()).isEqualTo((byte) 0x87));
        assertThat(h.deviceOpen()).as("three refused flows with max-inflight 2").isTrue();
        assertThat(h.events(EventType.QUOTA_EXCEEDED)).isEmpty();
    }

    @Test
    void an_id_reused_after_the_gateways_own_refusal_belongs_to_the_brokers_flow() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(SessionHarness.publish("elsewhere/x", 2, 5, "denied"));
        assertThat(types(h.received())).containsExactly(MqttMessageType.PUBREC);
        // The MQTT 5 client took the 0x87 PUBREC as the end and reuses id 5 for an allowed publish.
        h.send(SessionHarness.publish("devices/unit-1/a", 2, 5, "allowed"), pubrel(5));
        assertThat(types(h.received())).containsExactly(MqttMessageType.PUBREC, MqttMessageType.PUBCOMP);
        assertThat(types(h.sentUpstream)).as("the broker sees its whole flow, PUBREL included")
                .containsSubsequence(MqttMessageType.PUBLISH, MqttMessageType.PUBREL);
    }

    @Test
    void a_pubrel_after_the_gateways_refusal_is_answered_by_the_gateway_on_3_1_1() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_3_1_1);
        h.send(SessionHarness.publish("elsewhere/x", 2, 5, "denied"), pubrel(5));
        assertThat(types(h.received())).containsExactly(MqttMessageType.PUBREC, MqttMessageType.PUBCOMP);
        assertThat(types(h.sentUpstream)).doesNotContain(MqttMessageType.PUBLISH, MqttMessageType.PUBREL);
    }

    @Test
    void an_empty_client_id_needs_clean_session_on_3_1_1() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("").cleanSession(false)
                .keepAlive(30).build());
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.sentUpstream).isEmpty();
    }

    @Test
    void mqtt5_assigns_an_id_for_an_empty_client_id_with_clean_start_0() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("").cleanSession(false)
                .keepAlive(30).build());
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(connAck.variableHeader().properties().getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER).value())
                .isEqualTo(SessionHarness.DEVICE);
    }

    private static MqttPublishMessage aliased(String topic, int alias, int qos, int packetId) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(packetId)
                .properties(properties).payload(io.netty.buffer.Unpooled.copiedBuffer("x".getBytes())).build();
    }

    @Test
    void topic_aliases_are_granted_resolved_by_the_gateway_and_never_reach_the_broker() {
        SessionHarness h = harness(GatewayLimits.defaults());
        MqttConnAckMessage connAck = h.connected(MqttVersion.MQTT_5);
        assertThat(connAck.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM).value())
                .isEqualTo(10);
        h.send(aliased("devices/unit-1/temp", 3, 1, 1), aliased("", 3, 1, 2));
        List<MqttPublishMessage> upstream = h.sentUpstream.stream().filter(m -> m instanceof MqttPublishMessage)
                .map(m -> (MqttPublishMessage) m).toList();
        assertThat(upstream).extracting(p -> p.variableHeader().topicName())
                .containsExactly("devices/unit-1/temp", "devices/unit-1/temp");
        assertThat(upstream).allSatisfy(p -> assertThat(
                p.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS)).isNull());
        // The alias resolves to a topic policy refuses: refused like the topic itself.
        h.send(aliased("elsewhere/x", 4, 1, 3), aliased("", 4, 1, 4));
        assertThat(h.events(EventType.ACL_DENIED)).hasSize(2)
                .allSatisfy(e -> assertThat(e.message()).contains("elsewhere/x"))
                .allSatisfy(e -> assertThat(e.details()).containsEntry("topic", "elsewhere/x")
                        .containsEntry("action", "publish").containsEntry("rule", "default-deny"));
    }

    @Test
    void an_alias_never_set_or_beyond_the_maximum_is_topic_alias_invalid() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(aliased("", 2, 0, 0));
        assertDisconnected(h, 0x94, "never set");

        close();
        SessionHarness g = harness(GatewayLimits.defaults());
        g.connected(MqttVersion.MQTT_5);
        g.send(aliased("devices/unit-1/t", 0, 0, 0));
        assertDisconnected(g, 0x94, "outside");

        close();
        SessionHarness none = harness(GatewayLimits.defaults().with("max-topic-aliases", "0"));
        MqttConnAckMessage connAck = none.connected(MqttVersion.MQTT_5);
        assertThat(connAck.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM)).isNull();
        none.send(aliased("devices/unit-1/t", 1, 0, 0));
        assertDisconnected(none, 0x94, "none were granted");
    }

    private static void assertDisconnected(SessionHarness h, int reasonCode, String eventText) {
        List<MqttMessage> replies = h.received();
        MqttMessage last = replies.get(replies.size() - 1);
        assertThat(last.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode())
                .isEqualTo((byte) reasonCode);
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.PROTOCOL_VIOLATION)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(eventText));
    }

    @Test
    void a_refused_publish_gets_the_bare_reason_code_and_the_event_the_whole_reason() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(SessionHarness.publish("$TopicA/B/a-rather-long-topic/that/goes/on/and/on/and/on/for/a/while", 1, 1, "x"));
        MqttMessage puback = h.received().get(0);
        var header = (MqttPubReplyMessageVariableHeader) puback.variableHeader();
        assertThat(header.reasonCode()).isEqualTo((byte) 0x87);
        assertThat(header.properties().isEmpty()).as("no properties: every client can parse it").isTrue();
        assertThat(h.events(EventType.ACL_DENIED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("a-rather-long-topic/that/goes/on"));
    }

    @Test
    void a_disconnect_carries_a_short_reason_string_unless_it_would_exceed_the_devices_maximum_packet_size() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(aliased("", 2, 0, 0));
        var header = (MqttReasonCodeAndPropertiesVariableHeader) last(h.received()).variableHeader();
        String reason = (String) header.properties().getProperty(MqttProperties.REASON_STRING).value();
        assertThat(reason).contains("topic alias 2");
        assertThat(reason.length()).isLessThanOrEqualTo(MqttReplies.MAX_REASON_CHARS);

        close();
        SessionHarness small = harness(GatewayLimits.defaults());
        MqttProperties sixteenBytes = new MqttProperties();
        sixteenBytes.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, 16));
        small.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(SessionHarness.DEVICE)
                .cleanSession(true).keepAlive(30).properties(sixteenBytes).build());
        small.received();
        small.send(aliased("", 2, 0, 0));
        var smallHeader = (MqttReasonCodeAndPropertiesVariableHeader) last(small.received()).variableHeader();
        assertThat(smallHeader.reasonCode()).isEqualTo((byte) 0x94);
        assertThat(smallHeader.properties().getProperty(MqttProperties.REASON_STRING)).isNull();
    }

    private static MqttMessage last(List<MqttMessage> messages) {
        return messages.get(messages.size() - 1);
    }

    @Test
    void the_quota_debt_survives_a_reconnect() {
        SessionHarness.World world = new SessionHarness.World(dir);
        GatewayLimits limits = GatewayLimits.defaults().withMessageRate(10, 10);
        harness = new SessionHarness(world, limits);
        harness.connected(MqttVersion.MQTT_3_1_1);
        for (int i = 0; i < 200 && harness.deviceOpen(); i++) {
            harness.send(SessionHarness.publish("devices/unit-1/t", 0, 0, "flood"));
        }
        assertThat(harness.deviceOpen()).as("disconnected for flooding").isFalse();
        long forwarded = harness.sentUpstream.stream().filter(m -> m instanceof MqttPublishMessage).count();
        harness.closeConnection();

        harness = new SessionHarness(world, limits);
        harness.connected(MqttVersion.MQTT_3_1_1);
        harness.send(SessionHarness.publish("devices/unit-1/t", 0, 0, "again"));
        assertThat(harness.sentUpstream.stream().filter(m -> m instanceof MqttPublishMessage))
                .as("the new connection starts in the old debt: nothing more gets through").isEmpty();
        assertThat(harness.deviceOpen()).isFalse();
        assertThat(forwarded).isLessThanOrEqualTo(10 + 60);
    }

    @Test
    void a_device_that_reconnects_in_a_loop_is_refused_after_its_burst() {
        SessionHarness.World world = new SessionHarness.World(dir);
        GatewayLimits limits = GatewayLimits.defaults();
        int accepted = 0;
        for (int i = 0; i < DeviceQuotas.CONNECT_BURST + 3; i++) {
            harness = new SessionHarness(world, limits);
            MqttConnAckMessage connAck = harness.connected(MqttVersion.MQTT_5);
            if (connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                accepted++;
            } else {
                assertThat(connAck.variableHeader().connectReturnCode())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED);
            }
            harness.closeConnection();
        }
        harness = null;
        world.database.close();
        assertThat(accepted).isBetween(DeviceQuotas.CONNECT_BURST, DeviceQuotas.CONNECT_BURST + 1);
    }

    @Test
    void a_device_disconnect_reaches_the_broker_after_everything_before_it() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_3_1_1);
        h.send(SessionHarness.publish("devices/unit-1/a", 0, 0, "last words"),
                new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        assertThat(types(h.sentUpstream)).containsExactly(MqttMessageType.CONNECT, MqttMessageType.PUBLISH,
                MqttMessageType.DISCONNECT);
        assertThat(h.events(EventType.PROTOCOL_VIOLATION)).isEmpty();
    }
}
