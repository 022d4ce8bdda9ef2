package io.palisade.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A throttle made by detection on one instance follows the device: it is announced with the time it ends, and
 * an instance that hears of it cuts the device's quota for what is left, or not at all once it is over.
 */
class ThrottleSharingTest {

    private static final Instant NOW = Instant.parse("2026-12-04T14:00:00Z");
    private static final DeviceId METER = DeviceId.of("meter-1");

    private record Cut(DeviceId device, double factor, Duration duration) {
    }

    @Test
    void a_throttle_made_here_is_announced_with_when_it_ends() {
        List<Cut> cuts = new ArrayList<>();
        List<String> announced = new ArrayList<>();
        DetectionResponder responder = new DetectionResponder(null, Clock.fixed(NOW, ZoneOffset.UTC));
        responder.throttleWith((device, factor, duration) -> cuts.add(new Cut(device, factor, duration)));
        responder.publishThrottlesTo((device, factor, until) -> announced.add(device + " "
                + ThrottleChange.format(factor, until)));

        responder.throttle(METER, "bytes_per_min above its range");

        assertThat(cuts).containsExactly(new Cut(METER, 10, Duration.ofMinutes(10)));
        assertThat(announced).containsExactly("meter-1 10x until 2026-12-04T14:10:00Z");
    }

    @Test
    void another_instances_throttle_applies_for_what_is_left_of_it() {
        List<Cut> cuts = new ArrayList<>();
        DetectionResponder later = new DetectionResponder(null,
                Clock.fixed(NOW.plus(Duration.ofMinutes(4)), ZoneOffset.UTC));
        later.throttleWith((device, factor, duration) -> cuts.add(new Cut(device, factor, duration)));

        ThrottleChange heard = ThrottleChange.parse("10x until 2026-12-04T14:10:00Z");
        assertThat(later.throttledElsewhere(METER, heard.factor(), heard.until())).isTrue();
        assertThat(cuts).containsExactly(new Cut(METER, 10, Duration.ofMinutes(6)));

        assertThat(later.throttledElsewhere(METER, 10, NOW.plus(Duration.ofMinutes(3)))).as("over already").isFalse();
        assertThat(cuts).hasSize(1);
    }

    @Test
    void a_malformed_throttle_notice_is_refused_with_the_reason() {
        assertThatThrownBy(() -> ThrottleChange.parse("10x")).hasMessageContaining("FACTORx until INSTANT");
        assertThatThrownBy(() -> ThrottleChange.parse("0x until 2026-12-04T14:10:00Z"))
                .hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> ThrottleChange.parse("10x until tomorrow")).hasMessageContaining("not an instant");
        assertThatThrownBy(() -> ThrottleChange.parse("10x until 2026-12-04T14:10:00Z; rm -rf"))
                .hasMessageContaining("FACTORx until INSTANT");
        assertThat(ThrottleChange.parse(ThrottleChange.format(2.5, NOW))).isEqualTo(new ThrottleChange(2.5, NOW));
    }
}
