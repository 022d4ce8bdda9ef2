package io.palisade.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Roll-outs target devices seen recently by default: one gone for weeks would only hold its wave. */
class TargetSelectorTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Device SENSOR = new Device(DeviceId.of("s1"), "default", "default", DeviceState.ENROLLED,
            false, NOW, NOW);

    @Test
    void a_device_counts_when_seen_within_the_window() {
        TargetSelector recent = new TargetSelector(Set.of(), Set.of(), Set.of(), false, Optional.of(Duration.ofDays(7)));
        assertThat(recent.matches(SENSOR, false, Optional.of(NOW.minus(Duration.ofDays(3))), NOW)).isTrue();
        assertThat(recent.matches(SENSOR, false, Optional.of(NOW.minus(Duration.ofDays(7))), NOW)).as("at the edge").isTrue();
        assertThat(recent.matches(SENSOR, false, Optional.of(NOW.minus(Duration.ofDays(8))), NOW)).isFalse();
        assertThat(recent.matches(SENSOR, false, Optional.empty(), NOW)).as("never seen").isFalse();
        assertThat(recent.matches(SENSOR, true, Optional.of(NOW), NOW)).as("quarantined still left out").isFalse();
        assertThat(TargetSelector.ALL.matches(SENSOR, false, Optional.empty(), NOW)).as("no window").isTrue();
        assertThatThrownBy(() -> new TargetSelector(Set.of(), Set.of(), Set.of(), false, Optional.of(Duration.ZERO)))
                .hasMessageContaining("positive");
    }

    @Test
    void the_api_defaults_to_a_week_and_zero_means_however_long_unseen() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(RolloutJson.spec(json.readTree("{\"target\":\"firmware/a.img\"}")).selector().seenWithin())
                .contains(TargetSelector.DEFAULT_SEEN_WITHIN);
        RolloutSpec unseen = RolloutJson.spec(json.readTree("{\"target\":\"firmware/a.img\",\"seen_within_seconds\":0}"));
        assertThat(unseen.selector().seenWithin()).isEmpty();
        assertThat(RolloutJson.spec(RolloutJson.spec(unseen))).as("stored and read back").isEqualTo(unseen);
        assertThatThrownBy(() -> RolloutJson.spec(json.readTree("{\"target\":\"firmware/a.img\",\"seen_within_seconds\":-5}")))
                .hasMessageContaining("positive");
    }
}
