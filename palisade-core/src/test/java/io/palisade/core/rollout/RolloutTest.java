package io.palisade.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static List<DeviceId> fleet(int n) {
        return IntStream.range(0, n).mapToObj(i -> DeviceId.of("dev-" + i)).toList();
    }

    private static RolloutSpec spec(String waves, double success, double error, boolean auto) {
        List<Wave> list = new ArrayList<>();
        for (String w : waves.split(",")) {
            list.add(Wave.parse(w));
        }
        return new RolloutSpec("firmware/app-2.0.0.img", TargetSelector.ALL, list, success, error, auto);
    }

    private static void installAll(Rollout rollout, List<DeviceId> devices) {
        devices.forEach(d -> rollout.report(d, MemberState.INSTALLED, "ok", NOW));
    }

    @Test
    void cumulative_waves_split_the_fleet_canary_then_a_tenth_then_everyone() {
        Rollout rollout = Rollout.plan("r1", spec("1,10%,100%", 1.0, 0.5, true), fleet(200), NOW);
        List<DeviceId> first = rollout.start(NOW);
        assertThat(first).hasSize(1);
        assertThat(rollout.counts().get(MemberState.PENDING)).isEqualTo(199);

        installAll(rollout, first);
        List<RolloutMember> secondWave = rollout.members().stream().filter(m -> m.wave() == 1).toList();
        assertThat(secondWave).hasSize(19).allMatch(m -> m.state() == MemberState.NOTIFIED);

        installAll(rollout, secondWave.stream().map(RolloutMember::device).toList());
        assertThat(rollout.wave()).isEqualTo(2);
        assertThat(rollout.counts().get(MemberState.NOTIFIED)).isEqualTo(180);
        installAll(rollout, rollout.members().stream().filter(m -> m.wave() == 2).map(RolloutMember::device).toList());
        assertThat(rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(rollout.counts().get(MemberState.INSTALLED)).isEqualTo(200);
    }

    @Test
    void the_order_is_stable_for_a_rollout_and_differs_between_rollouts() {
        List<DeviceId> a = Rollout.plan("r1", spec("5", 1, 0, true), fleet(100), NOW).start(NOW);
        List<DeviceId> again = Rollout.plan("r1", spec("5", 1, 0, true), fleet(100), NOW).start(NOW);
        List<DeviceId> other = Rollout.plan("r2", spec("5", 1, 0, true), fleet(100), NOW).start(NOW);
        assertThat(again).isEqualTo(a);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void failures_above_the_error_threshold_halt_and_no_further_wave_starts() {
        Rollout rollout = Rollout.plan("r1", spec("10,100%", 0.9, 0.2, true), fleet(50), NOW);
        List<DeviceId> first = rollout.start(NOW);
        rollout.report(first.get(0), MemberState.FAILED, "self-check failed", NOW);
        rollout.report(first.get(1), MemberState.FAILED, "signature refused", NOW);
        assertThat(rollout.state()).isEqualTo(RolloutState.RUNNING); // 2 of 10 is not above 20%
        rollout.report(first.get(2), MemberState.FAILED, "reverted", NOW);
        assertThat(rollout.state()).isEqualTo(RolloutState.HALTED);
        assertThat(rollout.reason()).contains("3 of 10");
        assertThat(rollout.report(first.get(3), MemberState.INSTALLED, "ok", NOW)).isEmpty();
        assertThat(rollout.counts().get(MemberState.PENDING)).isEqualTo(40);
        assertThatThrownBy(() -> rollout.approve(NOW)).hasMessageContaining("halted");
    }

    @Test
    void a_wave_that_finished_below_the_success_threshold_halts_instead_of_waiting_for_ever() {
        Rollout rollout = Rollout.plan("r1", spec("10,100%", 0.9, 0.5, true), fleet(50), NOW);
        List<DeviceId> first = rollout.start(NOW);
        rollout.report(first.get(0), MemberState.FAILED, "self-check failed", NOW);
        rollout.report(first.get(1), MemberState.FAILED, "self-check failed", NOW);
        for (int i = 2; i < 9; i++) {
            rollout.report(first.get(i), MemberState.INSTALLED, "ok", NOW);
        }
        assertThat(rollout.state()).as("one device still working").isEqualTo(RolloutState.RUNNING);
        assertThat(rollout.report(first.get(9), MemberState.INSTALLED, "ok", NOW)).isEmpty();
        assertThat(rollout.state()).isEqualTo(RolloutState.HALTED);
        assertThat(rollout.reason()).contains("wave 1 finished with 8 of 10 installed");
    }

    @Test
    void without_auto_advance_a_successful_wave_waits_for_approval() {
        Rollout rollout = Rollout.plan("r1", spec("2,100%", 1.0, 0.5, false), fleet(6), NOW);
        installAll(rollout, rollout.start(NOW));
        assertThat(rollout.state()).isEqualTo(RolloutState.AWAITING_APPROVAL);
        assertThat(rollout.approve(NOW)).hasSize(4);
        assertThat(rollout.state()).isEqualTo(RolloutState.RUNNING);
    }

    @Test
    void paused_rollouts_start_no_wave_until_resumed() {
        Rollout rollout = Rollout.plan("r1", spec("2,100%", 1.0, 0.5, true), fleet(6), NOW);
        List<DeviceId> first = rollout.start(NOW);
        rollout.pause(NOW);
        assertThat(rollout.report(first.get(0), MemberState.INSTALLED, "", NOW)).isEmpty();
        assertThat(rollout.report(first.get(1), MemberState.INSTALLED, "", NOW)).isEmpty();
        assertThat(rollout.wave()).isZero();
        assertThat(rollout.resume(NOW)).hasSize(4);
    }

    @Test
    void reports_never_move_a_device_backwards_and_strangers_are_ignored() {
        Rollout rollout = Rollout.plan("r1", spec("1,100%", 1.0, 0.5, false), fleet(3), NOW);
        DeviceId first = rollout.start(NOW).get(0);
        rollout.report(first, MemberState.STAGED, "trial boot", NOW);
        rollout.report(first, MemberState.DOWNLOADING, "late", NOW);
        assertThat(rollout.member(first).orElseThrow().state()).isEqualTo(MemberState.STAGED);
        DeviceId pending = rollout.members().stream().filter(m -> m.wave() == 1).findFirst().orElseThrow().device();
        rollout.report(pending, MemberState.INSTALLED, "not offered yet", NOW);
        assertThat(rollout.member(pending).orElseThrow().state()).isEqualTo(MemberState.PENDING);
        assertThat(rollout.report(DeviceId.of("stranger"), MemberState.INSTALLED, "", NOW)).isEmpty();
    }

    @Test
    void cancel_returns_the_devices_whose_offer_must_be_withdrawn() {
        Rollout rollout = Rollout.plan("r1", spec("3,100%", 1.0, 0.5, true), fleet(10), NOW);
        List<DeviceId> first = rollout.start(NOW);
        rollout.report(first.get(0), MemberState.INSTALLED, "", NOW);
        assertThat(rollout.cancel("wrong image", NOW)).containsExactlyInAnyOrder(first.get(1), first.get(2));
        assertThat(rollout.state()).isEqualTo(RolloutState.CANCELLED);
        assertThatThrownBy(() -> rollout.cancel("again", NOW)).hasMessageContaining("cancelled already");
    }

    @Test
    void specs_refuse_what_makes_no_sense() {
        assertThatThrownBy(() -> spec("10%,5%", 1, 0, true)).hasMessageContaining("must grow");
        assertThatThrownBy(() -> spec("0", 1, 0, true)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> spec("101%", 1, 0, true)).hasMessageContaining("100%");
        assertThatThrownBy(() -> spec("1", 0, 0, true)).hasMessageContaining("success threshold");
        assertThatThrownBy(() -> spec("1", 1, 1, true)).hasMessageContaining("error threshold");
        assertThatThrownBy(() -> Wave.parse("ten")).hasMessageContaining("not a count");
        for (String bad : List.of("", "/etc/passwd", "../x", "a//b", "a b", "a\\b", "x/./y")) {
            assertThatThrownBy(() -> new RolloutSpec(bad, TargetSelector.ALL, List.of(Wave.parse("all")), 1, 0, true))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Rollout.plan("r", spec("1", 1, 0, true), List.of(), NOW))
                .hasMessageContaining("no enrolled device");
    }

    @Test
    void json_round_trips_the_spec_with_defaults_for_what_is_absent() throws Exception {
        RolloutSpec original = new RolloutSpec("firmware/a.img", new TargetSelector(Set.of("meter"), Set.of("plant-a"), true),
                List.of(Wave.parse("1"), Wave.parse("50%"), Wave.parse("all")), 0.8, 0.05, false);
        assertThat(RolloutJson.spec(RolloutJson.spec(original))).isEqualTo(original);
        RolloutSpec minimal = RolloutJson.spec(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"target\":\"firmware/a.img\"}"));
        assertThat(minimal.waves()).containsExactly(new Wave(100, true));
        // Everyone, as long as seen within the default window (targeting devices seen recently by default).
        assertThat(minimal.selector()).isEqualTo(new TargetSelector(Set.of(), Set.of(), Set.of(), false,
                java.util.Optional.of(TargetSelector.DEFAULT_SEEN_WITHIN)));
        assertThat(minimal.autoAdvance()).isTrue();
    }

    @Test
    void the_selector_takes_enrolled_devices_of_the_profiles_and_segments_with_every_tag_and_not_quarantined() {
        Instant t = NOW;
        var device = new io.palisade.core.device.Device(DeviceId.of("d1"), "meter", "plant-a",
                io.palisade.core.device.DeviceState.ENROLLED, false, t, t, Set.of("canary", "b3"));
        assertThat(new TargetSelector(Set.of("meter"), Set.of(), Set.of("canary"), false).matches(device, false)).isTrue();
        assertThat(new TargetSelector(Set.of(), Set.of(), Set.of("canary", "b4"), false).matches(device, false)).isFalse();
        assertThat(new TargetSelector(Set.of("valve"), Set.of(), Set.of(), false).matches(device, false)).isFalse();
        assertThat(new TargetSelector(Set.of(), Set.of("plant-b"), Set.of(), false).matches(device, false)).isFalse();
        assertThat(TargetSelector.ALL.matches(device, true)).as("quarantined: left out").isFalse();
        assertThat(new TargetSelector(Set.of(), Set.of(), Set.of(), true).matches(device, true)).isTrue();
        assertThat(TargetSelector.ALL.matches(device.withState(io.palisade.core.device.DeviceState.REGISTERED, t), false))
                .as("not enrolled").isFalse();
    }
}
