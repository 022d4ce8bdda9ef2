package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publish decision shared by the gateway and the simulated gateway: verdicts and the events they raise. */
class PublishGateTest {

    private static final long SECOND = 1_000_000_000L;

    private final List<SecurityEvent> events = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final GatewayLimits limits = GatewayLimits.defaults().withMessageRate(10, 10).withSessionLimits(4096, 10, 2);
    private final Device device = new Device(DeviceId.of("gate-1"), "default", "default", DeviceState.ENROLLED, false,
            Instant.EPOCH, Instant.EPOCH);
    private final PublishGate gate = new PublishGate("192.0.2.7", new PolicyBook(), new DeviceQuota(limits, 0), limits,
            new GatewayEvents(events::add, clock), TrafficObserver.NONE);

    private PublishGate.Verdict publish(String topic, int qos, int packetId, long now) {
        return gate.publish(device, topic, qos, packetId, false, ByteBuffer.wrap(new byte[8]), null, now);
    }

    @Test
    void own_topics_go_through_and_others_are_refused_with_an_event() {
        assertThat(publish("devices/gate-1/t", 0, 0, 0)).isInstanceOf(PublishGate.Forward.class);
        assertThat(publish("devices/other/t", 1, 1, 0)).isEqualTo(new PublishGate.Refuse(MqttReplies.NOT_AUTHORIZED, 0));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ACL_DENIED);
            assertThat(e.source()).isEqualTo("192.0.2.7");
        });
    }

    @Test
    void an_invalid_topic_or_a_reused_packet_id_ends_the_session_as_a_protocol_violation() {
        assertThat(publish("devices/gate-1/+", 0, 0, 0)).isInstanceOf(PublishGate.Close.class)
                .extracting(v -> ((PublishGate.Close) v).reasonCode()).isEqualTo(MqttReplies.TOPIC_NAME_INVALID);
        assertThat(publish("devices/gate-1/t", 1, 5, 0)).isInstanceOf(PublishGate.Forward.class);
        assertThat(publish("devices/gate-1/t", 1, 5, 0)).isInstanceOf(PublishGate.Close.class)
                .extracting(v -> ((PublishGate.Close) v).reasonCode()).isEqualTo(MqttReplies.PROTOCOL_ERROR);
        assertThat(events).extracting(SecurityEvent::type).containsOnly(EventType.PROTOCOL_VIOLATION).hasSize(2);
    }

    @Test
    void more_unfinished_flows_than_allowed_disconnect_with_receive_maximum_exceeded() {
        publish("devices/gate-1/t", 1, 1, 0);
        publish("devices/gate-1/t", 1, 2, 0);
        PublishGate.Verdict third = publish("devices/gate-1/t", 1, 3, 0);
        assertThat(third).isEqualTo(new PublishGate.Close(MqttReplies.RECEIVE_MAXIMUM_EXCEEDED,
                "more than 2 unacknowledged QoS 1/2 publishes"));
        assertThat(events).extracting(SecurityEvent::type).containsExactly(EventType.QUOTA_EXCEEDED);
    }

    @Test
    void a_device_over_its_quota_is_paused_and_reported_once_per_pause() {
        long pause = 0;
        for (int i = 0; i < 14; i++) { // burst of 10 at 10/s, all at the same instant
            PublishGate.Verdict verdict = publish("devices/gate-1/t", 0, 0, 0);
            pause = ((PublishGate.Forward) verdict).pauseNanos();
        }
        assertThat(pause).isGreaterThan(0);
        assertThat(events).extracting(SecurityEvent::type).containsExactly(EventType.QUOTA_EXCEEDED);
    }

    @Test
    void what_a_3_1_1_broker_cannot_carry_is_refused_without_a_security_event() {
        assertThat(gate.publish(device, "devices/gate-1/t", 1, 1, false, ByteBuffer.allocate(1), "user property", 0))
                .isEqualTo(new PublishGate.Refuse(Mqtt5Over311.IMPLEMENTATION_SPECIFIC, 0));
        assertThat(gate.publish(device, "devices/gate-1/t", 0, 0, false, ByteBuffer.allocate(1), "content type", 0))
                .isInstanceOf(PublishGate.Close.class);
        assertThat(events).isEmpty();
    }
}
