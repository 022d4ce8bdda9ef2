package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.event.EventType;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity, access control, quarantine and revocation on live sessions, with Paho 3.1.1 and 5 clients. */
class AccessControlIT {

    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new GatewayFixture(dir, GatewayLimits.defaults());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void v3_round_trips_qos_0_1_2_in_its_own_tree_and_gets_0x80_for_foreign_subscriptions() throws Exception {
        Path credentials = fixture.enroll("acl-v3");
        try (PahoClients.V3 device = new PahoClients.V3(fixture, credentials, "acl-v3", true)) {
            int[] granted = device.client.subscribeWithResponse(new String[]{"devices/acl-v3/#", "devices/+/cmd", "#"},
                    new int[]{2, 1, 0}).getGrantedQos();
            assertThat(granted).containsExactly(2, 0x80, 0x80);
            for (int qos = 0; qos <= 2; qos++) {
                device.client.publish("devices/acl-v3/q" + qos, ("m" + qos).getBytes(), qos, false);
                assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/acl-v3/q" + qos + " m" + qos);
            }
            // Denied publishes: QoS 0 dropped, QoS 1/2 acknowledged and dropped; the session goes on.
            device.client.publish("devices/other/cmd", "x".getBytes(), 0, false);
            device.client.publish("devices/other/cmd", "x".getBytes(), 1, false);
            device.client.publish("devices/other/cmd", "x".getBytes(), 2, false);
            device.client.publish("devices/acl-v3/after", "still here".getBytes(), 1, false);
            assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/acl-v3/after still here");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.ACL_DENIED).size() >= 5);
        assertThat(fixture.events(EventType.ACL_DENIED)).allSatisfy(e ->
                assertThat(e.device()).hasValueSatisfying(d -> assertThat(d.value()).isEqualTo("acl-v3")));
    }

    @Test
    void v5_gets_reason_code_0x87_for_denied_publishes_and_subscriptions() throws Exception {
        Path credentials = fixture.enroll("acl-v5");
        try (PahoClients.V5 device = new PahoClients.V5(fixture, credentials, "acl-v5")) {
            assertThat(device.subscribe("devices/acl-v5/#", "devices/x/#")).containsExactly(1, 0x87);
            assertThat(device.publish("devices/x/cmd", "x", 1)).isEqualTo(0x87);
            assertThat(device.publish("devices/acl-v5/ok", "fine", 2)).isZero();
            assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/acl-v5/ok fine");
            // Last, because Paho ends its own session when a QoS 2 publish is refused with PUBREC 0x87.
            assertThat(device.publish("devices/x/cmd", "x", 2)).isEqualTo(0x87);
        }
    }

    @Test
    void profile_policy_changes_apply_to_the_next_packet_without_reconnecting() throws Exception {
        Path credentials = fixture.enroll("acl-live", "meter", "plant-a");
        try (PahoClients.V5 device = new PahoClients.V5(fixture, credentials, "acl-live")) {
            assertThat(device.subscribe("broadcast/plant-a/#")).containsExactly(0x87);
            fixture.policies.put(PolicyScope.profile("meter"), new TopicPolicy(List.of(), List.of(),
                    List.of("broadcast/{segment}/#"), List.of()));
            assertThat(device.subscribe("broadcast/plant-a/#")).containsExactly(1);
        }
    }

    @Test
    void a_quarantined_live_session_is_confined_to_its_quarantine_channel_until_released() throws Exception {
        Path credentials = fixture.enroll("acl-q");
        try (PahoClients.V5 device = new PahoClients.V5(fixture, credentials, "acl-q")) {
            // The management channel is open before quarantine too; other devices' channels are not.
            assertThat(device.subscribe("devices/acl-q/#", "quarantine/other/#")).containsExactly(1, 0x87);
            fixture.changed("acl-q", DeviceChangeListener.Change.QUARANTINED);

            assertThat(device.publish("devices/acl-q/temp", "x", 1)).isEqualTo(0x87);
            assertThat(device.subscribe("quarantine/acl-q/#")).containsExactly(1);
            assertThat(device.publish("quarantine/acl-q/status", "isolated", 1)).isZero();
            assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("quarantine/acl-q/status isolated");

            fixture.changed("acl-q", DeviceChangeListener.Change.RELEASED);
            assertThat(device.publish("devices/acl-q/temp", "back", 1)).isZero();
            assertThat(device.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/acl-q/temp back");
        }
    }

    @Test
    void revoking_a_device_closes_its_live_session_within_a_second_and_it_cannot_come_back() throws Exception {
        Path credentials = fixture.enroll("acl-rev");
        PahoClients.V3 device = new PahoClients.V3(fixture, credentials, "acl-rev", true);
        try {
            long start = System.nanoTime();
            fixture.changed("acl-rev", DeviceChangeListener.Change.REVOKED);
            assertThat(device.lost.poll(1, TimeUnit.SECONDS)).as("session closed within one second").isNotNull();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        } finally {
            device.close();
        }
        assertThatThrownBy(() -> new PahoClients.V3(fixture, credentials, "acl-rev", true)).isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events(EventType.AUTH_FAILED).stream()
                .anyMatch(e -> e.message().contains("revoked")));
    }

    @Test
    void a_v5_client_with_another_client_id_gets_0x85() throws Exception {
        Path credentials = fixture.enroll("acl-id");
        assertThatThrownBy(() -> new PahoClients.V5(fixture, credentials, "not-me"))
                .isInstanceOfSatisfying(org.eclipse.paho.mqttv5.common.MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(0x85));
        assertThat(MqttWireMessage.MESSAGE_TYPE_CONNACK).isEqualTo((byte) 2);
    }
}
