package io.palisade.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.device.RevocationReason;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.rollout.MemberState;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutSpec;
import io.palisade.core.rollout.TargetSelector;
import io.palisade.core.rollout.Wave;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.time.ManualClock;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlRolloutStore;
import io.palisade.store.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decommissioning and deleting on a real store, with the broker replaced by a recorder of what was sent. */
class DeviceRetirementTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final List<String> sent = new ArrayList<>();
    private final List<SecurityEvent> events = new ArrayList<>();
    private Database database;
    private SqlDeviceRegistry registry;
    private RolloutService rollouts;
    private DeviceRetirement retirement;

    @BeforeEach
    void open() {
        database = Database.open(StoreUrl.sqlite(dir.resolve("test.db")));
        registry = new SqlDeviceRegistry(database);
        for (String id : List.of("m1", "m2")) {
            registry.add(new Device(DeviceId.of(id), "meter", "plant-a", DeviceState.ENROLLED, false, T0, T0),
                    new EnrollmentToken(DeviceId.of(id), new byte[]{1}, new byte[]{2}, T0, Optional.empty()));
            registry.recordCertificate(new IssuedCertificate(id + "01", DeviceId.of(id), T0,
                    T0.plus(Duration.ofDays(1)), Optional.empty()));
        }
        FleetChannel fleet = new FleetChannel() {
            @Override
            public void publish(String topic, byte[] payload, boolean retained) {
                sent.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
            }

            @Override
            public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
            }
        };
        Events recorded = new Events(events::add, clock);
        rollouts = new RolloutService(new SqlRolloutStore(database), registry, new PolicyBook(), fleet,
                target -> true, recorded, clock);
        DeviceService devices = new DeviceService(registry, recorded, new OneTimeTokens(), clock);
        behaviours = new io.palisade.store.SqlBehaviourStore(database);
        retirement = new DeviceRetirement(devices, registry, rollouts, recorded, clock, behaviours);
    }

    private io.palisade.core.detection.BehaviourStore behaviours;

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_decommissioned_device_is_revoked_leaves_its_roll_out_and_is_deleted_once_its_certificates_expire()
            throws Exception {
        Rollout rollout = rollouts.create(new RolloutSpec("firmware/m-2.img", TargetSelector.ALL,
                List.of(Wave.parse("100%")), 0.5, 0.5, true), "admin");
        sent.clear();

        assertThat(retirement.decommission("m1", "admin@local", Optional.of("meter replaced"))).containsExactly("m101");
        assertThat(registry.find(DeviceId.of("m1")).orElseThrow().state()).isEqualTo(DeviceState.REVOKED);
        assertThat(registry.findCertificate("m101").orElseThrow().reason())
                .isEqualTo(RevocationReason.CESSATION_OF_OPERATION);
        assertThat(rollouts.get(rollout.id()).member(DeviceId.of("m1")).orElseThrow())
                .satisfies(m -> assertThat(m.state()).isEqualTo(MemberState.UNREACHED))
                .satisfies(m -> assertThat(m.detail()).isEqualTo("decommissioned by admin@local"));
        assertThat(sent).as("its offer withdrawn").contains("quarantine/m1/firmware/update ");
        assertThat(events).filteredOn(e -> e.type() == EventType.DEVICE_DECOMMISSIONED).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("device m1 decommissioned: meter replaced"));
        assertThat(registry.find(DeviceId.of("m2")).orElseThrow().state()).as("its neighbour").isEqualTo(DeviceState.ENROLLED);

        assertThatThrownBy(() -> retirement.delete("m1", "admin@local"))
                .hasMessageContaining("has certificates valid or on the CRL until " + T0.plus(Duration.ofDays(1)));
        assertThat(registry.find(DeviceId.of("m1"))).isPresent();

        behaviours.save(DeviceId.of("m1"), new io.palisade.core.detection.BehaviourStore.Saved("{}".getBytes(
                StandardCharsets.UTF_8), T0, "gw-a"));
        behaviours.save(DeviceId.of("m2"), new io.palisade.core.detection.BehaviourStore.Saved("{}".getBytes(
                StandardCharsets.UTF_8), T0, "gw-a"));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        retirement.delete("m1", "admin@local");
        assertThat(registry.find(DeviceId.of("m1"))).isEmpty();
        assertThat(behaviours.load(DeviceId.of("m1"))).as("what detection learned of it, gone too").isEmpty();
        assertThat(behaviours.load(DeviceId.of("m2"))).as("its neighbour's").isPresent();
        assertThat(events).filteredOn(e -> e.type() == EventType.DEVICE_DELETED).singleElement()
                .satisfies(e -> assertThat(e.device()).hasValue(DeviceId.of("m1")));
        assertThatThrownBy(() -> retirement.delete("m1", "admin@local")).hasMessageContaining("no device with id m1");
    }

    @Test
    void an_enrolled_device_cannot_be_deleted_while_its_certificate_is_valid() {
        assertThatThrownBy(() -> retirement.delete("m2", "admin@local"))
                .isInstanceOf(Refusal.class).hasMessageContaining("decommission it");
        assertThat(registry.find(DeviceId.of("m2"))).isPresent();
    }
}
