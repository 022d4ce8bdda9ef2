package io.palisade.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.rollout.MemberState;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutSpec;
import io.palisade.core.rollout.RolloutState;
import io.palisade.core.rollout.TargetSelector;
import io.palisade.core.rollout.Wave;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlRolloutStore;
import io.palisade.store.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roll-out service on a real store, with the broker replaced by a recorder of what was sent. */
class RolloutServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private Database database;
    private SqlDeviceRegistry registry;
    private final PolicyBook policies = new PolicyBook();
    private final List<String> sent = new ArrayList<>();
    private final List<SecurityEvent> events = new ArrayList<>();
    private final FleetChannel fleet = new FleetChannel() {
        @Override
        public void publish(String topic, byte[] payload, boolean retained) {
            sent.add(topic + (retained ? " retained " : " ") + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
        }
    };

    @BeforeEach
    void open() {
        database = Database.open(StoreUrl.sqlite(dir.resolve("test.db")));
        registry = new SqlDeviceRegistry(database);
        for (String id : List.of("m1", "m2", "m3", "m4")) { // m4 is quarantined
            registry.add(new Device(DeviceId.of(id), "meter", "plant-a", DeviceState.ENROLLED, id.equals("m4"), T0, T0),
                    new EnrollmentToken(DeviceId.of(id), new byte[]{1}, new byte[]{2}, T0, Optional.empty()));
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    private RolloutService service() {
        RolloutService service = new RolloutService(new SqlRolloutStore(database), registry, policies, fleet,
                target -> target.equals("firmware/m-2.img"), new Events(events::add, Clock.fixed(T0, ZoneOffset.UTC)),
                Clock.fixed(T0, ZoneOffset.UTC));
        service.load();
        return service;
    }

    private RolloutService service(Clock clock) {
        RolloutService service = new RolloutService(new SqlRolloutStore(database), registry, policies, fleet,
                target -> target.equals("firmware/m-2.img"), new Events(events::add, clock), clock);
        service.load();
        return service;
    }

    @Test
    void at_a_wave_deadline_silent_devices_are_unreached_with_the_reason_and_their_offers_withdrawn() throws Exception {
        io.palisade.core.time.ManualClock clock = new io.palisade.core.time.ManualClock(T0);
        RolloutService service = service(clock);
        Rollout rollout = service.create(new RolloutSpec("firmware/m-2.img", TargetSelector.ALL,
                List.of(Wave.parse("100%")), 0.5, 0.5, true, java.time.Duration.ofHours(1)), "admin");
        List<DeviceId> offered = rollout.members().stream().map(m -> m.device()).toList();
        service.report(offered.get(0), rollout.id(), MemberState.INSTALLED, "ok");
        service.report(offered.get(1), rollout.id(), MemberState.DOWNLOADING, "fetching");
        io.palisade.core.device.DeviceConnections connections = id -> Optional.of(
                new io.palisade.core.device.DeviceConnections.Connection(false, T0.minusSeconds(600), "10.0.0.9",
                        T0.minusSeconds(60)));

        clock.advance(java.time.Duration.ofMinutes(59));
        service.passDeadlines(connections);
        assertThat(service.get(rollout.id()).counts().get(MemberState.UNREACHED)).isZero();

        clock.advance(java.time.Duration.ofMinutes(1));
        sent.clear();
        service.passDeadlines(connections);
        Rollout after = service(clock).get(rollout.id()); // as stored
        assertThat(after.state()).isEqualTo(RolloutState.HALTED);
        assertThat(after.reason()).contains("2 of 3 devices were not reached before its deadline (1 installed)");
        assertThat(after.member(offered.get(1)).orElseThrow().detail())
                .startsWith("stuck downloading since " + T0).contains("within the wave deadline of 1h")
                .endsWith("(last report: fetching)");
        assertThat(after.member(offered.get(2)).orElseThrow().detail())
                .isEqualTo("offline since " + T0.minusSeconds(60) + "; did not take the offer within the wave deadline of 1h");
        assertThat(sent).containsExactlyInAnyOrder(
                "quarantine/" + offered.get(1).value() + "/firmware/update retained ",
                "quarantine/" + offered.get(2).value() + "/firmware/update retained ");
        assertThat(events).filteredOn(e -> e.type() == EventType.FIRMWARE_REJECTED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("halted").contains("not reached"));
    }

    @Test
    void by_default_only_devices_seen_within_the_window_are_targeted() throws Exception {
        registry.recordCertificate(new io.palisade.core.device.IssuedCertificate("c1", DeviceId.of("m1"),
                T0.minus(java.time.Duration.ofDays(1)), T0, Optional.empty()));
        registry.recordCertificate(new io.palisade.core.device.IssuedCertificate("c2", DeviceId.of("m2"),
                T0.minus(java.time.Duration.ofDays(10)), T0.minus(java.time.Duration.ofDays(9)), Optional.empty()));
        io.palisade.core.device.DeviceConnections sessions = id -> id.value().equals("m3")
                ? Optional.of(new io.palisade.core.device.DeviceConnections.Connection(true, T0, "10.0.0.3", T0))
                : Optional.empty();
        RolloutService service = new RolloutService(new SqlRolloutStore(database), registry, policies, fleet,
                target -> target.equals("firmware/m-2.img"), new Events(events::add, Clock.fixed(T0, ZoneOffset.UTC)),
                Clock.fixed(T0, ZoneOffset.UTC), () -> sessions);
        TargetSelector lastWeek = new TargetSelector(Set.of(), Set.of(), Set.of(), false,
                Optional.of(java.time.Duration.ofDays(7)));
        Rollout rollout = service.create(new RolloutSpec("firmware/m-2.img", lastWeek, List.of(Wave.parse("100%")),
                1.0, 0.5, true), "admin");
        // m1 renewed yesterday, m3 is connected now; m2 was last certified ten days ago; m4 is quarantined.
        assertThat(rollout.members()).extracting(m -> m.device().value()).containsExactlyInAnyOrder("m1", "m3");

        TargetSelector lastHour = new TargetSelector(Set.of("meter"), Set.of(), Set.of(), false,
                Optional.of(java.time.Duration.ofHours(1)));
        RolloutService nobodyConnected = new RolloutService(new SqlRolloutStore(database), registry, policies, fleet,
                target -> true, new Events(events::add, Clock.fixed(T0, ZoneOffset.UTC)), Clock.fixed(T0, ZoneOffset.UTC));
        assertThatThrownBy(() -> nobodyConnected.create(new RolloutSpec("firmware/m-2.img", lastHour,
                List.of(Wave.parse("100%")), 1.0, 0.5, true), "admin"))
                .hasMessageContaining("no enrolled device matches").hasMessageContaining("--include-unseen");
    }

    private static RolloutSpec spec(String... waves) {
        return new RolloutSpec("firmware/m-2.img", TargetSelector.ALL, java.util.Arrays.stream(waves).map(Wave::parse)
                .toList(), 1.0, 0.5, true);
    }

    @Test
    void offers_go_retained_to_each_waves_devices_and_quarantined_devices_are_left_out() throws Exception {
        Rollout rollout = service().create(spec("1", "100%"), "admin");
        assertThat(rollout.members()).extracting(m -> m.device().value()).containsExactlyInAnyOrder("m1", "m2", "m3");
        assertThat(sent).singleElement().asString().matches("quarantine/m[123]/firmware/update retained "
                + "\\{\"rollout\":\"ro-[0-9a-f]{10}\",\"target\":\"firmware/m-2.img\"}");
    }

    @Test
    void a_repeated_report_changes_nothing_and_a_final_one_withdraws_the_offer() throws Exception {
        RolloutService service = service();
        Rollout rollout = service.create(spec("1", "100%"), "admin");
        DeviceId first = rollout.members().stream().filter(m -> m.state() == MemberState.NOTIFIED).findFirst()
                .orElseThrow().device();
        assertThat(service.report(first, rollout.id(), MemberState.INSTALLED, "ok")).isTrue();
        assertThat(service.report(first, rollout.id(), MemberState.INSTALLED, "ok again")).isFalse();
        assertThat(service.report(first, "ro-unknown", MemberState.INSTALLED, "?")).isFalse();
        assertThat(sent).contains("quarantine/" + first.value() + "/firmware/update retained ");
        assertThat(sent).filteredOn(s -> !s.startsWith("quarantine/" + first.value())).hasSize(2); // wave 2 offered
    }

    @Test
    void roll_outs_survive_a_restart_and_refusals_say_why() throws Exception {
        Rollout rollout = service().create(spec("1", "100%"), "admin");
        RolloutService restarted = service();
        assertThat(restarted.get(rollout.id()).members()).isEqualTo(rollout.members());
        restarted.pause(rollout.id());
        assertThat(service().get(rollout.id()).state()).isEqualTo(RolloutState.PAUSED);
        assertThatThrownBy(() -> restarted.create(new RolloutSpec("firmware/other.img", TargetSelector.ALL,
                List.of(Wave.parse("all")), 1, 0, true), "admin")).hasMessageContaining("no published target");
        assertThatThrownBy(() -> restarted.create(new RolloutSpec("firmware/m-2.img", new TargetSelector(Set.of("valve"),
                Set.of(), false), List.of(Wave.parse("all")), 1, 0, true), "admin")).hasMessageContaining("no enrolled device");
        assertThatThrownBy(() -> restarted.get("ro-nope")).hasMessageContaining("no roll-out");
        assertThat(events).noneMatch(e -> e.type() == EventType.FIRMWARE_REJECTED);
    }
}
