package io.palisade.core.rfid;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CloneCheckTest {

    private final CloneCheck check = CloneCheck.defaults(); // 3 m/s, 10 m read range at each end
    private final ReaderLocation door = new ReaderLocation(0, 0);

    @Test
    void a_walk_between_two_doors_is_one_tag() {
        assertThat(check.impossible(door, Duration.ofSeconds(60), new ReaderLocation(150, 0))).isEmpty();
    }

    @Test
    void a_kilometre_in_five_seconds_is_two_tags() {
        assertThat(check.impossible(door, Duration.ofSeconds(5), new ReaderLocation(1000, 0)))
                .hasValueSatisfying(why -> assertThat(why).contains("980 m apart").contains("5.0 s"));
    }

    @Test
    void readers_within_read_range_of_each_other_may_both_hear_one_tag_at_once() {
        assertThat(check.impossible(door, Duration.ZERO, new ReaderLocation(15, 0))).isEmpty();
        assertThat(check.impossible(door, Duration.ZERO, new ReaderLocation(25, 0))).isPresent();
    }

    @Test
    void order_of_reports_does_not_matter() {
        assertThat(check.impossible(door, Duration.ofSeconds(-5), new ReaderLocation(1000, 0))).isPresent();
    }
}
