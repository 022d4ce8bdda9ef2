package io.palisade.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kept decisions never outlive a policy change or a change of the device's standing. */
class RecentDecisionsTest {

    private final PolicyBook book = new PolicyBook();
    private final RecentDecisions decisions = new RecentDecisions(book, Action.PUBLISH);
    private final Device device = new Device(DeviceId.of("d1"), "meter", "hall", DeviceState.ENROLLED, false, Instant.EPOCH,
            Instant.EPOCH);

    @Test
    void a_policy_change_applies_to_the_next_decision() {
        assertThat(decisions.decide(device, "telemetry/d1").allowed()).isFalse();
        book.put(PolicyScope.profile("meter"), new TopicPolicy(List.of("telemetry/{id}"), List.of(), List.of(), List.of()));
        assertThat(decisions.decide(device, "telemetry/d1").allowed()).isTrue();
        book.put(PolicyScope.profile("meter"), new TopicPolicy(List.of(), List.of("telemetry/#"), List.of(), List.of()));
        assertThat(decisions.decide(device, "telemetry/d1").allowed()).isFalse();
    }

    @Test
    void quarantine_of_the_device_or_its_segment_applies_to_the_next_decision() {
        assertThat(decisions.decide(device, "devices/d1/t").allowed()).isTrue();
        Device quarantined = device.withQuarantined(true, Instant.EPOCH);
        assertThat(decisions.decide(quarantined, "devices/d1/t").allowed()).isFalse();
        assertThat(decisions.decide(device, "devices/d1/t").allowed()).isTrue();
        book.setSegmentQuarantined("hall", true);
        assertThat(decisions.decide(device, "devices/d1/t").allowed()).isFalse();
    }

    @Test
    void more_topics_than_it_keeps_are_still_decided_right() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(decisions.decide(device, "devices/d1/t" + i).allowed()).isTrue();
                assertThat(decisions.decide(device, "devices/d2/t" + i).allowed()).isFalse();
            }
        }
    }
}
