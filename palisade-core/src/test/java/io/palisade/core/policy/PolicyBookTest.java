package io.palisade.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyBookTest {

    private final PolicyBook book = new PolicyBook();
    private final Device sensor = new Device(DeviceId.of("s1"), "meter", "plant-a", DeviceState.ENROLLED, false,
            Instant.EPOCH, Instant.EPOCH);

    private boolean may(Device device, Action action, String topic) {
        return book.decide(device, action, topic).allowed();
    }

    @Test
    void by_default_a_device_owns_only_its_tree() {
        assertThat(may(sensor, Action.PUBLISH, "devices/s1/temp")).isTrue();
        assertThat(may(sensor, Action.SUBSCRIBE, "devices/s1/#")).isTrue();
        assertThat(may(sensor, Action.SUBSCRIBE, "devices/s1/+/cmd")).isTrue();
        assertThat(may(sensor, Action.PUBLISH, "devices/s2/cmd")).isFalse();
        assertThat(may(sensor, Action.PUBLISH, "devices/s10/x")).isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "devices/+/temp")).as("wildcard escaping the tree").isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "#")).isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "$SYS/#")).isFalse();
        assertThat(book.decide(sensor, Action.PUBLISH, "plant/x").reason()).contains("outside what device s1 may use");
    }

    @Test
    void profile_and_segment_rules_add_access_with_placeholders_and_deny_wins() {
        book.put(PolicyScope.profile("meter"), new TopicPolicy(List.of("telemetry/{segment}/{id}"), List.of(),
                List.of("broadcast/{segment}/#"), List.of()));
        book.put(PolicyScope.segment("plant-a"), new TopicPolicy(List.of(), List.of("devices/{id}/firmware/#"),
                List.of(), List.of("broadcast/plant-a/secret/#")));

        assertThat(may(sensor, Action.PUBLISH, "telemetry/plant-a/s1")).isTrue();
        assertThat(may(sensor, Action.PUBLISH, "telemetry/plant-b/s1")).isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "broadcast/plant-a/news")).isTrue();
        assertThat(may(sensor, Action.SUBSCRIBE, "broadcast/plant-a/#"))
                .as("could receive a denied topic").isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "broadcast/plant-a/secret/x")).isFalse();
        assertThat(may(sensor, Action.PUBLISH, "devices/s1/firmware/status")).as("deny beats own tree").isFalse();
        assertThat(may(sensor, Action.PUBLISH, "devices/s1/temp")).isTrue();
    }

    @Test
    void each_decision_names_the_rule_that_made_it_as_written() {
        book.put(PolicyScope.profile("meter"), new TopicPolicy(List.of("telemetry/{segment}/{id}"),
                List.of("devices/{id}/firmware/#"), List.of(), List.of()));
        assertThat(book.decide(sensor, Action.PUBLISH, "telemetry/plant-a/s1").rule()).isEqualTo("telemetry/{segment}/{id}");
        assertThat(book.decide(sensor, Action.PUBLISH, "devices/s1/firmware/x").details())
                .containsEntry("rule", "devices/{id}/firmware/#").containsEntry("outcome", "denied")
                .containsEntry("topic", "devices/s1/firmware/x").containsEntry("action", "publish");
        assertThat(book.decide(sensor, Action.SUBSCRIBE, "devices/s1/#").rule()).isEqualTo(AccessDecision.OWN_TREE);
        assertThat(book.decide(sensor, Action.PUBLISH, "quarantine/s1/status").rule()).isEqualTo(AccessDecision.MANAGEMENT);
        assertThat(book.decide(sensor, Action.PUBLISH, "plant/x").rule()).isEqualTo(AccessDecision.DEFAULT_DENY);
        assertThat(book.decide(sensor.withQuarantined(true, Instant.EPOCH), Action.PUBLISH, "devices/s1/t").rule())
                .isEqualTo(AccessDecision.QUARANTINE);
    }

    @Test
    void quarantine_confines_a_device_or_a_whole_segment_to_its_quarantine_channel() {
        book.put(PolicyScope.profile("meter"), new TopicPolicy(List.of("#"), List.of(), List.of("#"), List.of()));
        Device quarantined = sensor.withQuarantined(true, Instant.EPOCH);
        assertThat(may(quarantined, Action.PUBLISH, "devices/s1/temp")).isFalse();
        assertThat(may(quarantined, Action.PUBLISH, "quarantine/s1/status")).isTrue();
        assertThat(may(quarantined, Action.SUBSCRIBE, "quarantine/s1/#")).isTrue();
        assertThat(may(quarantined, Action.SUBSCRIBE, "quarantine/+/cmd")).isFalse();

        book.setSegmentQuarantined("plant-a", true);
        assertThat(may(sensor, Action.PUBLISH, "devices/s1/temp")).isFalse();
        assertThat(book.decide(sensor, Action.PUBLISH, "devices/s1/temp").reason()).contains("segment plant-a");
        book.setSegmentQuarantined("plant-a", false);
        assertThat(may(sensor, Action.PUBLISH, "devices/s1/temp")).isTrue();
    }

    @Test
    void every_device_may_use_its_own_management_channel_and_no_other_devices() {
        assertThat(may(sensor, Action.SUBSCRIBE, "quarantine/s1/firmware/update")).isTrue();
        assertThat(may(sensor, Action.PUBLISH, "quarantine/s1/firmware/status")).isTrue();
        assertThat(may(sensor, Action.SUBSCRIBE, "quarantine/s2/command")).isFalse();
        assertThat(may(sensor, Action.SUBSCRIBE, "quarantine/+/command")).isFalse();
        assertThat(may(sensor, Action.PUBLISH, "quarantine/s2/command/result")).isFalse();
    }

    @Test
    void policies_with_bad_filters_are_refused() {
        assertThatThrownBy(() -> new TopicPolicy(List.of("a/#/b"), List.of(), List.of(), List.of()))
                .hasMessageContaining("not a valid MQTT topic filter");
        assertThatThrownBy(() -> new TopicPolicy(List.of("a/{name}"), List.of(), List.of(), List.of()))
                .hasMessageContaining("placeholders");
    }
}
