package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An MQTT 5 device carried over a broker that speaks only 3.1.1: what is mapped and what is refused. */
class Mqtt5Over311Test {

    @TempDir
    Path dir;

    private SessionHarness harness;

    @AfterEach
    void close() {
        harness.close();
    }

    private SessionHarness over311() {
        harness = new SessionHarness(dir, GatewayLimits.defaults());
        harness.brokerSpeaks5 = false;
        return harness;
    }

    private static MqttConnectMessage connect(boolean cleanStart, int sessionExpiry) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, sessionExpiry));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, 200));
        return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(SessionHarness.DEVICE)
                .cleanSession(cleanStart).keepAlive(30).properties(properties).build();
    }

    private MqttConnAckMessage connected(boolean cleanStart, int sessionExpiry) {
        harness.send(connect(cleanStart, sessionExpiry));
        return (MqttConnAckMessage) harness.received().get(0);
    }

    @Test
    void the_broker_gets_a_3_1_1_connect_and_the_device_learns_what_the_broker_keeps() {
        SessionHarness h = over311();
        MqttConnAckMessage connAck = connected(false, 600);
        MqttConnectMessage upstream = (MqttConnectMessage) h.sentUpstream.get(0);
        assertThat(upstream.variableHeader().version()).isEqualTo(4);
        assertThat(upstream.variableHeader().name()).isEqualTo("MQTT");
        assertThat(upstream.variableHeader().isCleanSession()).as("Clean Start=0 with an expiry: persistent").isFalse();
        MqttProperties told = connAck.variableHeader().properties();
        assertThat(told.getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL).value()).isEqualTo(0xFFFFFFFF);
        assertThat(told.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE).value()).isEqualTo(0);
        assertThat(told.getProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE).value()).isEqualTo(0);
    }

    @Test
    void a_session_that_ends_with_the_connection_is_a_clean_session() {
        SessionHarness h = over311();
        MqttConnAckMessage connAck = connected(false, 0);
        assertThat(((MqttConnectMessage) h.sentUpstream.get(0)).variableHeader().isCleanSession()).isTrue();
        assertThat(connAck.variableHeader().properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL))
                .as("the device asked for 0, which is what it gets").isNull();
    }

    @Test
    void will_properties_refuse_the_connect_with_0x83() {
        SessionHarness h = over311();
        MqttProperties willProperties = new MqttProperties();
        willProperties.add(new MqttProperties.IntegerProperty(MqttProperties.WILL_DELAY_INTERVAL, 30));
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(SessionHarness.DEVICE)
                .cleanSession(true).keepAlive(30).willFlag(true).willTopic("devices/unit-1/status")
                .willMessage("gone".getBytes()).willProperties(willProperties).build());
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IMPLEMENTATION_SPECIFIC);
        assertThat(h.sentUpstream).isEmpty();
    }

    @Test
    void publish_properties_are_refused_in_the_acknowledgement_or_for_qos0_in_a_disconnect() {
        SessionHarness h = over311();
        connected(true, 0);
        h.send(withUserProperty(1, 7));
        MqttMessage puback = h.received().get(0);
        assertThat(puback.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(((MqttPubReplyMessageVariableHeader) puback.variableHeader()).reasonCode()).isEqualTo((byte) 0x83);
        h.send(SessionHarness.publish("devices/unit-1/t", 1, 8, "plain"));
        assertThat(h.sentUpstream).filteredOn(m -> m instanceof MqttPublishMessage).singleElement()
                .satisfies(p -> assertThat(((MqttPublishMessage) p).variableHeader().packetId()).isEqualTo(8));
        h.send(withUserProperty(0, 0));
        MqttMessage last = last(h.received());
        assertThat(last.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode())
                .isEqualTo((byte) 0x83);
        assertThat(h.deviceOpen()).isFalse();
    }

    @Test
    void shared_and_option_laden_subscriptions_are_refused_per_filter_and_unsubscribe_gets_a_code_per_filter() {
        SessionHarness h = over311();
        connected(true, 0);
        MqttSubscriptionOption noLocal = new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, false,
                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE);
        h.send(MqttMessageBuilders.subscribe().messageId(3)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/unit-1/a")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/devices/unit-1/b")
                .addSubscription("devices/unit-1/c", noLocal).build());
        MqttSubAckMessage subAck = (MqttSubAckMessage) h.received().get(0);
        assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x9E, 0x83);

        h.send(MqttMessageBuilders.unsubscribe().messageId(4).addTopicFilter("devices/unit-1/a")
                .addTopicFilter("devices/unit-1/z").build());
        MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) h.received().get(0);
        assertThat(unsubAck.payload().unsubscribeReasonCodes()).containsExactly((short) 0, (short) 0);
    }

    @Test
    void a_subscription_identifier_is_a_protocol_error_once_the_connack_said_unavailable() {
        SessionHarness h = over311();
        connected(true, 0);
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 5));
        h.send(MqttMessageBuilders.subscribe().messageId(3).properties(properties)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/unit-1/a").build());
        MqttMessage last = last(h.received());
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode())
                .isEqualTo((byte) 0xA1);
    }

    @Test
    void a_delivery_larger_than_the_devices_maximum_packet_size_is_dropped_and_acknowledged_upstream() {
        SessionHarness h = over311();
        connected(true, 0);
        h.fromBroker(SessionHarness.publish("devices/unit-1/big", 1, 9, "x".repeat(300)));
        h.fromBroker(SessionHarness.publish("devices/unit-1/small", 1, 10, "x"));
        List<MqttMessage> toDevice = h.received();
        assertThat(toDevice).singleElement().satisfies(m ->
                assertThat(((MqttPublishMessage) m).variableHeader().topicName()).isEqualTo("devices/unit-1/small"));
        assertThat(h.sentUpstream).filteredOn(m -> m.fixedHeader().messageType() == MqttMessageType.PUBACK)
                .singleElement().satisfies(m -> assertThat(
                        ((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) m.variableHeader()).messageId())
                        .isEqualTo(9));
        toDevice.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void disconnect_with_will_ends_the_broker_connection_without_a_disconnect() {
        SessionHarness h = over311();
        connected(true, 0);
        h.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) 0x04, MqttProperties.NO_PROPERTIES)));
        assertThat(h.sentUpstream).extracting(m -> m.fixedHeader().messageType())
                .doesNotContain(MqttMessageType.DISCONNECT);
        assertThat(h.upstream.isOpen()).isFalse();
    }

    private static MqttPublishMessage withUserProperty(int qos, int packetId) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty("unit", "celsius"));
        return MqttMessageBuilders.publish().topicName("devices/unit-1/t").qos(MqttQoS.valueOf(qos)).messageId(packetId)
                .properties(properties).payload(Unpooled.copiedBuffer("x".getBytes())).build();
    }

    private static MqttMessage last(List<MqttMessage> messages) {
        return messages.get(messages.size() - 1);
    }
}
