package io.palisade.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Offline devices cannot keep a wave "in progress" for ever: at its deadline they are counted as unreached. */
class WaveDeadlineTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration DEADLINE = Duration.ofHours(2);

    private static List<DeviceId> fleet(int n) {
        return IntStream.range(0, n).mapToObj(i -> DeviceId.of("dev-" + i)).toList();
    }

    private static Rollout started(String waves, double success, int devices) {
        List<Wave> list = java.util.Arrays.stream(waves.split(",")).map(Wave::parse).toList();
        Rollout rollout = Rollout.plan("r1", new RolloutSpec("firmware/app-2.0.0.img", TargetSelector.ALL, list,
                success, 0.5, true, DEADLINE), fleet(devices), NOW);
        rollout.start(NOW);
        return rollout;
    }

    private static List<DeviceId> wave(Rollout rollout, int wave) {
        return rollout.members().stream().filter(m -> m.wave() == wave).map(RolloutMember::device).toList();
    }

    @Test
    void before_the_deadline_nothing_changes() {
        Rollout rollout = started("4,100%", 0.75, 8);
        assertThat(rollout.waveDeadline()).contains(NOW.plus(DEADLINE));
        assertThat(rollout.expire(NOW.plus(DEADLINE).minusSeconds(1), m -> "late")).isEqualTo(Rollout.Outcome.NONE);
        assertThat(rollout.counts().get(MemberState.NOTIFIED)).isEqualTo(4);
    }

    @Test
    void enough_of_the_reached_installed_the_rest_unreached_with_reasons_and_the_next_wave_starts() {
        Rollout rollout = started("4,100%", 1.0, 8);
        List<DeviceId> first = wave(rollout, 0);
        rollout.report(first.get(0), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        rollout.report(first.get(1), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        rollout.report(first.get(2), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        rollout.report(first.get(3), MemberState.STAGED, "trial boot", NOW.plusSeconds(90));
        assertThat(rollout.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(rollout.wave()).isEqualTo(0);

        Instant late = NOW.plus(DEADLINE);
        Rollout.Outcome expiry = rollout.expire(late, m -> "stuck " + m.state().wireName());
        assertThat(expiry.unreached()).containsExactly(first.get(3));
        assertThat(expiry.offered()).containsExactlyInAnyOrderElementsOf(wave(rollout, 1));
        assertThat(rollout.member(first.get(3)).orElseThrow())
                .satisfies(m -> assertThat(m.state()).isEqualTo(MemberState.UNREACHED))
                .satisfies(m -> assertThat(m.detail()).isEqualTo("stuck staged"));
        assertThat(rollout.wave()).isEqualTo(1);
        // The new wave has a deadline of its own, from when it started.
        assertThat(rollout.waveDeadline()).contains(late.plus(DEADLINE));
        // A device counted as unreached that reports afterwards changes nothing: its offer was withdrawn.
        assertThat(rollout.report(first.get(3), MemberState.INSTALLED, "ok", late.plusSeconds(1))).isEmpty();
        assertThat(rollout.member(first.get(3)).orElseThrow().state()).isEqualTo(MemberState.UNREACHED);
    }

    @Test
    void too_few_of_the_reached_installed_halts_naming_the_unreached() {
        Rollout rollout = started("4,100%", 0.9, 8);
        List<DeviceId> first = wave(rollout, 0);
        rollout.report(first.get(0), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        rollout.report(first.get(1), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        rollout.report(first.get(2), MemberState.FAILED, "self-check failed", NOW.plusSeconds(60));
        Rollout.Outcome expiry = rollout.expire(NOW.plus(DEADLINE), m -> "offline");
        assertThat(expiry.unreached()).containsExactly(first.get(3));
        assertThat(expiry.offered()).isEmpty();
        assertThat(rollout.state()).isEqualTo(RolloutState.HALTED);
        assertThat(rollout.reason()).isEqualTo("wave 1 finished with 2 of 4 installed and 1 not reached before its"
                + " deadline, below the success threshold of 90%");
        assertThat(rollout.counts().get(MemberState.PENDING)).isEqualTo(4);
        assertThat(rollout.waveDeadline()).isEmpty();
    }

    @Test
    void a_wave_mostly_unreached_halts_because_it_says_nothing_about_the_image() {
        Rollout rollout = started("4,100%", 0.5, 8);
        rollout.report(wave(rollout, 0).get(0), MemberState.INSTALLED, "ok", NOW.plusSeconds(60));
        Rollout.Outcome expiry = rollout.expire(NOW.plus(DEADLINE), m -> "offline");
        assertThat(expiry.unreached()).hasSize(3);
        assertThat(rollout.state()).isEqualTo(RolloutState.HALTED);
        assertThat(rollout.reason()).isEqualTo("wave 1: 3 of 4 devices were not reached before its deadline"
                + " (1 installed); too few reached to judge the image");
        assertThat(rollout.counts().get(MemberState.UNREACHED)).isEqualTo(3);
    }

    @Test
    void the_last_wave_completes_counting_its_unreached() {
        Rollout rollout = started("100%", 1.0, 4);
        List<DeviceId> all = wave(rollout, 0);
        rollout.report(all.get(0), MemberState.INSTALLED, "ok", NOW);
        rollout.report(all.get(1), MemberState.INSTALLED, "ok", NOW);
        rollout.report(all.get(2), MemberState.INSTALLED, "ok", NOW);
        assertThat(rollout.state()).isEqualTo(RolloutState.RUNNING);
        rollout.expire(NOW.plus(DEADLINE), m -> "offline");
        assertThat(rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(rollout.reason()).isEqualTo("last wave reached its success threshold (3 of 4 installed, 1 not reached)");
    }

    @Test
    void a_paused_roll_out_does_not_expire_and_resuming_gives_the_wave_a_fresh_deadline() {
        Rollout rollout = started("4,100%", 0.75, 8);
        rollout.pause(NOW.plusSeconds(10));
        assertThat(rollout.expire(NOW.plus(DEADLINE).plusSeconds(1), m -> "offline")).isEqualTo(Rollout.Outcome.NONE);
        Instant resumed = NOW.plus(Duration.ofHours(5));
        rollout.resume(resumed);
        assertThat(rollout.waveDeadline()).contains(resumed.plus(DEADLINE));
        assertThat(rollout.expire(resumed.plusSeconds(60), m -> "offline")).isEqualTo(Rollout.Outcome.NONE);
    }

    @Test
    void the_deadline_is_part_of_the_spec_and_bounded() throws Exception {
        ObjectMapper json = new ObjectMapper();
        RolloutSpec parsed = RolloutJson.spec(json.readTree(
                "{\"target\":\"firmware/a.img\",\"wave_deadline_seconds\":1800}"));
        assertThat(parsed.waveDeadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(RolloutJson.spec(RolloutJson.spec(parsed))).isEqualTo(parsed);
        assertThat(RolloutJson.spec(json.readTree("{\"target\":\"firmware/a.img\"}")).waveDeadline())
                .isEqualTo(RolloutSpec.DEFAULT_WAVE_DEADLINE);
        assertThatThrownBy(() -> RolloutJson.spec(json.readTree(
                "{\"target\":\"firmware/a.img\",\"wave_deadline_seconds\":5}")))
                .hasMessageContaining("wave deadline must be between 10 seconds and 90 days");
        assertThatThrownBy(() -> RolloutJson.spec(json.readTree(
                "{\"target\":\"firmware/a.img\",\"wave_deadline_seconds\":\"soon\"}")))
                .hasMessageContaining("whole number of seconds");
    }

    @Test
    void a_decommissioned_device_leaves_the_roll_out_and_its_wave_is_judged_without_it() {
        Rollout rollout = started("4,100%", 1.0, 8);
        List<DeviceId> first = wave(rollout, 0);
        first.subList(0, 3).forEach(d -> rollout.report(d, MemberState.INSTALLED, "ok", NOW.plusSeconds(60)));
        DeviceId later = wave(rollout, 1).get(0);
        assertThat(rollout.removeDevice(later, "decommissioned by admin", NOW.plusSeconds(70)).unreached())
                .containsExactly(later);
        Rollout.Outcome outcome = rollout.removeDevice(first.get(3), "decommissioned by admin", NOW.plusSeconds(90));
        assertThat(outcome.unreached()).containsExactly(first.get(3));
        assertThat(outcome.offered()).as("the next wave, without the device already taken out")
                .containsExactlyInAnyOrderElementsOf(wave(rollout, 1).stream().filter(d -> !d.equals(later)).toList());
        assertThat(rollout.member(later).orElseThrow().state()).isEqualTo(MemberState.UNREACHED);
        assertThat(rollout.removeDevice(first.get(0), "again", NOW.plusSeconds(95))).as("finished already")
                .isEqualTo(Rollout.Outcome.NONE);
        assertThat(rollout.removeDevice(DeviceId.of("stranger"), "x", NOW.plusSeconds(95))).isEqualTo(Rollout.Outcome.NONE);
    }
}
