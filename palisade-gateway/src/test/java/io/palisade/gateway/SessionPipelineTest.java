package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.event.EventType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stage of the device session, driven through EmbeddedChannel with a scripted broker. */
class SessionPipelineTest {

    @TempDir
    Path dir;

    private SessionHarness harness;

    private int harnesses;

    private SessionHarness harness(GatewayLimits limits) {
        harness = new SessionHarness(dir.resolve("h" + harnesses++), limits);
        return harness;
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void connect_goes_upstream_under_the_certificate_identity_with_the_gateway_credentials() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("").cleanSession(true)
                .keepAlive(30).hasUser(true).username(SessionHarness.DEVICE).hasPassword(true)
                .password("device-secret".getBytes()).build());
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        MqttConnectMessage upstream = (MqttConnectMessage) h.sentUpstream.get(0);
        assertThat(upstream.payload().clientIdentifier()).isEqualTo(SessionHarness.DEVICE);
        assertThat(upstream.payload().userName()).isEqualTo("gateway");
        assertThat(new String(upstream.payload().passwordInBytes())).as("device password never forwarded")
                .isEqualTo("secret");
        assertThat(h.events(EventType.AUTH_SUCCEEDED)).hasSize(1);
    }

    @Test
    void mqtt5_connack_advertises_gateway_limits_and_the_assigned_client_id() {
        SessionHarness h = harness(GatewayLimits.defaults().withSessionLimits(4096, 10, 8));
        h.send(h.connect(MqttVersion.MQTT_5, ""));
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        MqttProperties properties = connAck.variableHeader().properties();
        assertThat(properties.getProperty(MqttProperties.RECEIVE_MAXIMUM).value()).isEqualTo(8);
        assertThat(properties.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE).value()).isEqualTo(4096);
        assertThat(properties.getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER).value())
                .isEqualTo(SessionHarness.DEVICE);
    }

    @Test
    void connect_naming_another_identity_is_refused_per_version() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(h.connect(MqttVersion.MQTT_3_1_1, "someone-else"));
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.sentUpstream).as("nothing reaches the broker").isEmpty();
        assertThat(h.events(EventType.AUTH_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("does not match the certificate's device id"));
    }

    @Test
    void a_will_on_a_forbidden_topic_is_refused() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(SessionHarness.DEVICE)
                .willFlag(true).willTopic("devices/other/status").willMessage("gone".getBytes())
                .willQoS(io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE).build());
        MqttConnAckMessage connAck = (MqttConnAckMessage) h.received().get(0);
        assertThat(connAck.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
        assertThat(h.events(EventType.ACL_DENIED)).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("topic", "devices/other/status").containsEntry("action", "publish")
                .containsEntry("rule", "default-deny").containsEntry("outcome", "denied"));
    }

    @Test
    void the_first_packet_must_be_connect() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(SessionHarness.publish("devices/unit-1/x", 0, 0, "early"));
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.PROTOCOL_VIOLATION)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("not CONNECT"));
    }

    @Test
    void a_second_connect_is_a_violation() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(h.connect(MqttVersion.MQTT_5, SessionHarness.DEVICE));
        List<MqttMessage> replies = h.received();
        assertThat(replies).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.PROTOCOL_VIOLATION)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("second CONNECT"));
    }

    @Test
    void garbage_and_oversized_packets_close_the_connection_with_an_event() {
        SessionHarness h = harness(GatewayLimits.defaults().withSessionLimits(1024, 10, 8));
        h.connected(MqttVersion.MQTT_3_1_1);
        // PUBLISH with remaining length 300,000: larger than the 1 KiB limit.
        h.sendBytes(Unpooled.wrappedBuffer(new byte[]{0x30, (byte) 0xE0, (byte) 0xA7, 0x12, 0, 1, 'a'}));
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.PROTOCOL_VIOLATION)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("malformed MQTT packet"));

        close();
        SessionHarness g = harness(GatewayLimits.defaults());
        g.sendBytes(Unpooled.wrappedBuffer(new byte[]{(byte) 0xF0, 0x00}));
        assertThat(g.deviceOpen()).isFalse();
        assertThat(g.events(EventType.PROTOCOL_VIOLATION)).hasSize(1);
    }

    @Test
    void invalid_utf8_and_wildcards_in_publish_topics_are_violations() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_3_1_1);
        // PUBLISH QoS 0, topic of 2 bytes 0xC3 0x28 (an invalid UTF-8 sequence), payload "x".
        h.sendBytes(Unpooled.wrappedBuffer(new byte[]{0x30, 0x05, 0x00, 0x02, (byte) 0xC3, 0x28, 'x'}));
        assertThat(h.deviceOpen()).isFalse();
        close();

        SessionHarness g = harness(GatewayLimits.defaults());
        g.connected(MqttVersion.MQTT_3_1_1);
        g.sendBytes(Unpooled.wrappedBuffer(new byte[]{0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 'x'}));
        assertThat(g.deviceOpen()).isFalse();
        assertThat(g.events(EventType.PROTOCOL_VIOLATION)).hasSize(1);
    }

    @Test
    void a_mixed_subscribe_is_split_and_the_suback_keeps_the_device_order() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.connected(MqttVersion.MQTT_5);
        h.send(SessionHarness.subscribe(7, "devices/x/#", "devices/unit-1/a", "bad/#/filter", "devices/unit-1/b"));
        MqttSubAckMessage subAck = (MqttSubAckMessage) h.received().get(0);
        assertThat(subAck.variableHeader().messageId()).isEqualTo(7);
        assertThat(subAck.payload().reasonCodes()).containsExactly(0x87, 1, 0x8F, 1);
        var forwarded = (io.netty.handler.codec.mqtt.MqttSubscribeMessage) h.sentUpstream.get(1);
        assertThat(forwarded.payload().topicSubscriptions()).extracting(t -> t.topicFilter())
                .containsExactly("devices/unit-1/a", "devices/unit-1/b");
    }

    @Test
    void the_subscription_limit_is_enforced() {
        SessionHarness h = harness(GatewayLimits.defaults().withSessionLimits(4096, 2, 8));
        h.connected(MqttVersion.MQTT_5);
        h.send(SessionHarness.subscribe(1, "devices/unit-1/a", "devices/unit-1/b", "devices/unit-1/c"));
        MqttSubAckMessage subAck = (MqttSubAckMessage) h.received().get(0);
        assertThat(subAck.payload().reasonCodes()).containsExactly(1, 1, 0x97);
        assertThat(h.events(EventType.QUOTA_EXCEEDED)).hasSize(1);
    }

    @Test
    void a_flooding_device_is_throttled_then_disconnected() {
        SessionHarness h = harness(GatewayLimits.defaults().withMessageRate(10, 10));
        h.connected(MqttVersion.MQTT_5);
        for (int i = 0; i < 10; i++) {
            h.send(SessionHarness.publish("devices/unit-1/t", 0, 0, "ok"));
        }
        assertThat(h.device.config().isAutoRead()).as("within the burst").isTrue();
        h.send(SessionHarness.publish("devices/unit-1/t", 0, 0, "over"));
        assertThat(h.device.config().isAutoRead()).as("throttled: not reading").isFalse();
        for (int i = 0; i < 60 && h.deviceOpen(); i++) {
            h.send(SessionHarness.publish("devices/unit-1/t", 0, 0, "flood"));
        }
        assertThat(h.received()).extracting(m -> m.fixedHeader().messageType()).contains(MqttMessageType.DISCONNECT);
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.QUOTA_EXCEEDED)).extracting(e -> e.message())
                .anyMatch(m -> m.contains("throttled")).anyMatch(m -> m.contains("disconnected"));
    }

    @Test
    void a_device_silent_beyond_one_and_a_half_keep_alives_is_closed() {
        SessionHarness h = harness(GatewayLimits.defaults());
        h.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(SessionHarness.DEVICE)
                .cleanSession(true).keepAlive(10).build());
        h.received();
        h.device.advanceTimeBy(14, java.util.concurrent.TimeUnit.SECONDS);
        h.device.runScheduledPendingTasks();
        assertThat(h.deviceOpen()).as("within 1.5 keep-alives").isTrue();
        h.device.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        h.device.runScheduledPendingTasks();
        assertThat(h.deviceOpen()).isFalse();
    }

    @Test
    void too_many_unacknowledged_publishes_disconnect() {
        SessionHarness h = harness(GatewayLimits.defaults().withSessionLimits(4096, 10, 2));
        h.connected(MqttVersion.MQTT_3_1_1);
        // The scripted broker answers QoS 2 with PUBREC only, so these stay in flight until PUBCOMP.
        h.send(SessionHarness.publish("devices/unit-1/a", 2, 1, "1"), SessionHarness.publish("devices/unit-1/a", 2, 2, "2"));
        assertThat(h.deviceOpen()).isTrue();
        h.send(SessionHarness.publish("devices/unit-1/a", 2, 3, "3"));
        assertThat(h.deviceOpen()).isFalse();
        assertThat(h.events(EventType.QUOTA_EXCEEDED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("unacknowledged"));
    }
}
