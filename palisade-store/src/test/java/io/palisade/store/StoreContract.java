package io.palisade.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import io.palisade.core.rollout.MemberState;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutSpec;
import io.palisade.core.rollout.RolloutState;
import io.palisade.core.rollout.TargetSelector;
import io.palisade.core.rollout.Wave;
import io.palisade.core.siem.SiemDestination;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every store must do, run against each dialect by a subclass. */
abstract class StoreContract {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final DeviceId SENSOR = DeviceId.of("sensor-1");

    Database database;
    DeviceRegistry registry;
    SqlEventStore events;

    abstract StoreUrl url() throws Exception;

    /** The V1 checksum Flyway recorded for this dialect while each dialect had its own copy of the schema. */
    abstract int preMergeV1Checksum();

    @BeforeEach
    void open() throws Exception {
        database = Database.open(url());
        registry = new SqlDeviceRegistry(database);
        events = new SqlEventStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static Device device(DeviceId id) {
        return new Device(id, "default", "plant-a", DeviceState.REGISTERED, false, T0, T0);
    }

    static EnrollmentToken token(DeviceId id) {
        return new EnrollmentToken(id, new byte[]{1, 2}, new byte[]{3, 4, 5}, T0.plus(Duration.ofHours(24)),
                Optional.empty());
    }

    static IssuedCertificate certificate(String serial, DeviceId id) {
        return new IssuedCertificate(serial, id, T0, T0.plus(Duration.ofHours(24)), Optional.empty());
    }

    @Test
    void a_device_and_its_token_are_stored_and_duplicates_refused() {
        registry.add(device(SENSOR), token(SENSOR));
        assertThat(registry.find(SENSOR)).contains(device(SENSOR));
        assertThat(registry.findToken(SENSOR)).hasValueSatisfying(t -> {
            assertThat(t.salt()).containsExactly(1, 2);
            assertThat(t.hash()).containsExactly(3, 4, 5);
            assertThat(t.isUsed()).isFalse();
        });
        assertThatThrownBy(() -> registry.add(device(SENSOR), token(SENSOR)))
                .isInstanceOf(DeviceRegistry.DuplicateDeviceException.class);
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void a_token_is_consumed_exactly_once_together_with_its_certificate() {
        registry.add(device(SENSOR), token(SENSOR));
        assertThat(registry.consumeTokenAndRecord(SENSOR, T0, certificate("aa", SENSOR))).isTrue();
        assertThat(registry.consumeTokenAndRecord(SENSOR, T0, certificate("bb", SENSOR))).isFalse();
        assertThat(registry.findCertificate("bb")).as("nothing recorded for the refused use").isEmpty();
        assertThat(registry.findCertificate("AA")).isPresent();
        assertThat(registry.find(SENSOR).orElseThrow().state()).isEqualTo(DeviceState.ENROLLED);
        assertThat(registry.findToken(SENSOR).orElseThrow().usedAt()).contains(T0);
    }

    @Test
    void a_certificate_superseded_longer_than_the_grace_is_revoked_and_the_newest_stays() {
        DeviceId other = DeviceId.of("other");
        registry.add(device(SENSOR), token(SENSOR));
        registry.add(device(other), token(other));
        registry.recordCertificate(new IssuedCertificate("a1", SENSOR, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));
        Instant renewed = T0.plus(Duration.ofHours(16));
        registry.recordCertificate(new IssuedCertificate("a2", SENSOR, renewed, renewed.plus(Duration.ofDays(1)),
                Optional.empty()));
        registry.recordCertificate(new IssuedCertificate("b1", other, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));

        Duration grace = Duration.ofHours(1);
        Instant withinGrace = renewed.plus(Duration.ofMinutes(30));
        assertThat(registry.revokeSuperseded(withinGrace.minus(grace), withinGrace)).as("within the grace").isEmpty();
        Instant after = renewed.plus(Duration.ofMinutes(61));
        assertThat(registry.revokeSuperseded(after.minus(grace), after)).extracting(IssuedCertificate::serial)
                .containsExactly("a1");
        assertThat(registry.findCertificate("a1").orElseThrow().isRevoked()).isTrue();
        assertThat(registry.findCertificate("a2").orElseThrow().isRevoked()).as("the newest").isFalse();
        assertThat(registry.findCertificate("b1").orElseThrow().isRevoked()).as("another device's only one").isFalse();
        assertThat(registry.revokeSuperseded(after.minus(grace), after)).as("once").isEmpty();
        assertThat(registry.revokedUnexpired(after)).extracting(IssuedCertificate::serial).containsExactly("a1");
        assertThat(registry.findCertificate("a1").orElseThrow().reason())
                .isEqualTo(io.palisade.core.device.RevocationReason.SUPERSEDED);
    }

    @Test
    void deleting_removes_the_device_its_token_and_certificates_and_no_other() {
        DeviceId other = DeviceId.of("other");
        registry.add(device(SENSOR), token(SENSOR));
        registry.add(device(other), token(other));
        registry.recordCertificate(new IssuedCertificate("a1", SENSOR, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));
        registry.recordCertificate(new IssuedCertificate("b1", other, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));
        assertThat(registry.delete(SENSOR)).isTrue();
        assertThat(registry.find(SENSOR)).isEmpty();
        assertThat(registry.findToken(SENSOR)).isEmpty();
        assertThat(registry.findCertificate("a1")).isEmpty();
        assertThat(registry.find(other)).isPresent();
        assertThat(registry.findCertificate("b1")).isPresent();
        assertThat(registry.delete(SENSOR)).as("gone already").isFalse();
        registry.add(device(SENSOR), token(SENSOR)); // the id may be registered again, as a new identity
        assertThat(registry.find(SENSOR)).isPresent();
    }

    @Test
    void the_inventory_lists_a_devices_certificates_newest_first_with_state_and_reason() {
        DeviceId other = DeviceId.of("other");
        registry.add(device(SENSOR), token(SENSOR));
        registry.add(device(other), token(other));
        registry.recordCertificate(new IssuedCertificate("a1", SENSOR, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));
        registry.recordCertificate(new IssuedCertificate("a2", SENSOR, T0.plusSeconds(60),
                T0.plus(Duration.ofDays(1)), Optional.empty()));
        registry.recordCertificate(new IssuedCertificate("b1", other, T0, T0.plus(Duration.ofDays(1)), Optional.empty()));
        registry.recordCertificate(new IssuedCertificate("a3", SENSOR, T0.plusSeconds(30),
                T0.plus(Duration.ofDays(3)), Optional.empty()));
        assertThat(registry.certificateExpiries()).as("the inventory's column: the last unrevoked certificate")
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(SENSOR, T0.plus(Duration.ofDays(3)),
                        other, T0.plus(Duration.ofDays(1))));
        assertThat(registry.lastCertificateIssued()).containsEntry(SENSOR, T0.plusSeconds(60)).containsEntry(other, T0);
        assertThat(registry.certificatesOf(SENSOR)).extracting(IssuedCertificate::serial).containsExactly("a2", "a3", "a1");
        assertThat(registry.certificatesOf(SENSOR).get(0).state(T0)).isEqualTo("valid");
        assertThat(registry.certificatesOf(SENSOR).get(0).state(T0.plus(Duration.ofDays(2)))).isEqualTo("expired");

        // After a wipe: revoked as cessation of operation, the device registered again, its token burnt.
        registry.replaceToken(token(SENSOR));
        assertThat(registry.revokeCertificates(SENSOR, T0.plusSeconds(90),
                io.palisade.core.device.RevocationReason.CESSATION_OF_OPERATION)).containsExactly("a1", "a2", "a3");
        assertThat(registry.certificateExpiries()).as("nothing unrevoked left").doesNotContainKey(SENSOR)
                .containsKey(other);
        assertThat(registry.find(SENSOR).orElseThrow().state()).isEqualTo(DeviceState.REGISTERED);
        assertThat(registry.findToken(SENSOR).orElseThrow().isUsed()).isTrue();
        assertThat(registry.certificatesOf(SENSOR)).allSatisfy(c -> {
            assertThat(c.state(T0)).isEqualTo("revoked");
            assertThat(c.revokedAt()).contains(T0.plusSeconds(90));
            assertThat(c.reason()).isEqualTo(io.palisade.core.device.RevocationReason.CESSATION_OF_OPERATION);
        });
        assertThat(registry.certificatesOf(other)).singleElement().satisfies(c -> assertThat(c.isRevoked()).isFalse());
        assertThat(registry.certificatesOf(DeviceId.of("nobody"))).isEmpty();
    }

    @Test
    void revoking_marks_every_certificate_burns_the_token_and_feeds_the_crl() {
        DeviceId other = DeviceId.of("other");
        registry.add(device(SENSOR), token(SENSOR));
        registry.add(device(other), token(other));
        registry.consumeTokenAndRecord(SENSOR, T0, certificate("01", SENSOR));
        registry.recordCertificate(certificate("02", SENSOR));
        registry.recordCertificate(certificate("03", other));
        registry.replaceToken(token(SENSOR));

        assertThat(registry.revoke(SENSOR, T0.plusSeconds(60), io.palisade.core.device.RevocationReason.KEY_COMPROMISE))
                .containsExactly("01", "02");
        assertThat(registry.findCertificate("01").orElseThrow().reason())
                .isEqualTo(io.palisade.core.device.RevocationReason.KEY_COMPROMISE);
        assertThat(registry.find(SENSOR).orElseThrow().state()).isEqualTo(DeviceState.REVOKED);
        assertThat(registry.findToken(SENSOR).orElseThrow().isUsed()).isTrue();
        assertThat(registry.revokedUnexpired(T0)).extracting(IssuedCertificate::serial).containsExactly("01", "02");
        assertThat(registry.revokedUnexpired(T0.plus(Duration.ofDays(2)))).as("expired ones leave the CRL").isEmpty();
        assertThat(registry.findCertificate("03").orElseThrow().isRevoked()).isFalse();
    }

    @Test
    void a_devices_role_is_stored_and_kept_through_changes() {
        DeviceId engineer = DeviceId.of("engineer-1");
        registry.add(new Device(engineer, "default", "plant-a", DeviceState.REGISTERED, false, T0, T0,
                java.util.Set.of("hmi"), Optional.of("engineer")), token(engineer));
        registry.add(device(SENSOR), token(SENSOR));
        assertThat(registry.find(engineer).orElseThrow().role()).contains("engineer");
        assertThat(registry.find(SENSOR).orElseThrow().role()).isEmpty();
        registry.update(registry.find(engineer).orElseThrow().withQuarantined(true, T0.plusSeconds(1)));
        assertThat(registry.list()).filteredOn(d -> d.id().equals(engineer)).singleElement()
                .satisfies(d -> assertThat(d.role()).contains("engineer"));
    }

    @Test
    void quarantine_is_stored() {
        registry.add(device(SENSOR), token(SENSOR));
        assertThat(registry.update(device(SENSOR).withQuarantined(true, T0.plusSeconds(1)))).isTrue();
        assertThat(registry.find(SENSOR).orElseThrow().quarantined()).isTrue();
        assertThat(registry.update(device(DeviceId.of("ghost")))).isFalse();
    }

    @Test
    void tags_are_stored_and_replaced() {
        registry.add(device(SENSOR).withTags(java.util.Set.of("canary", "building-3"), T0), token(SENSOR));
        assertThat(registry.find(SENSOR).orElseThrow().tags()).containsExactly("building-3", "canary");
        registry.update(registry.find(SENSOR).orElseThrow().withTags(java.util.Set.of(), T0.plusSeconds(1)));
        assertThat(registry.find(SENSOR).orElseThrow().tags()).isEmpty();
        assertThat(registry.list()).singleElement().satisfies(d -> assertThat(d.tags()).isEmpty());
    }

    @Test
    void events_get_increasing_ids_and_can_be_filtered_and_resumed() {
        SecurityEvent a = events.append(SecurityEvent.of(T0, EventType.AUTH_FAILED, Severity.MEDIUM, SENSOR, "10.0.0.1",
                "wrong token").withDetail("k", "v"));
        SecurityEvent b = events.append(SecurityEvent.of(T0.plusSeconds(1), EventType.CERT_ISSUED, Severity.INFO, null,
                "10.0.0.2", "issued"));
        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(events.query(EventQuery.all())).containsExactly(a, b);
        assertThat(events.query(new EventQuery(a.id(), 10, Optional.empty(), Optional.empty()))).containsExactly(b);
        assertThat(events.query(new EventQuery(0, 10, Optional.of(EventType.AUTH_FAILED), Optional.empty())))
                .containsExactly(a);
        assertThat(events.query(new EventQuery(0, 10, Optional.empty(), Optional.of(SENSOR)))).containsExactly(a);
        assertThat(events.query(new EventQuery(0, 1, Optional.empty(), Optional.empty()))).containsExactly(a);
        assertThat(events.lastId()).isEqualTo(b.id());
    }

    @Test
    void siem_destinations_are_kept_with_their_filters_and_a_cursor_that_only_moves_forward() {
        SqlSiemStore siem = new SqlSiemStore(database);
        SiemDestination soc = new SiemDestination("soc", "syslog+tls://siem.example:6514", "cef", Severity.MEDIUM,
                java.util.Set.of(EventType.ACL_DENIED, EventType.AUTH_FAILED), Optional.of("-----BEGIN CERTIFICATE-----"),
                Optional.empty(), T0);
        assertThat(siem.add(soc, 41)).isTrue();
        assertThat(siem.add(soc, 0)).as("the name is taken").isFalse();
        assertThat(siem.find("soc")).contains(soc);
        assertThat(siem.list()).containsExactly(soc);
        assertThat(siem.cursor("soc")).isEqualTo(41);
        siem.advance("soc", 50);
        siem.advance("soc", 45);
        assertThat(siem.cursor("soc")).as("never back").isEqualTo(50);
        assertThat(siem.remove("soc")).isTrue();
        assertThat(siem.remove("soc")).isFalse();
        assertThat(siem.list()).isEmpty();
        assertThat(siem.cursor("soc")).isZero();
    }

    @Test
    void pruning_drops_what_is_too_old_then_the_oldest_of_the_lowest_severity_first() {
        SecurityEvent ancient = events.append(SecurityEvent.of(T0.minusSeconds(100 * 86_400), EventType.AUTH_FAILED,
                Severity.CRITICAL, null, "10.0.0.9", "long ago"));
        SecurityEvent high = events.append(SecurityEvent.of(T0, EventType.DEVICE_QUARANTINED, Severity.HIGH, SENSOR,
                "admin", "quarantined"));
        SecurityEvent info1 = events.append(SecurityEvent.of(T0, EventType.CERT_ISSUED, Severity.INFO, SENSOR, "est", "1"));
        SecurityEvent low = events.append(SecurityEvent.of(T0, EventType.AUTH_FAILED, Severity.LOW, null, "10.0.0.1", "x"));
        SecurityEvent info2 = events.append(SecurityEvent.of(T0, EventType.CERT_ISSUED, Severity.INFO, SENSOR, "est", "2"));
        assertThat(events.prune(T0.minusSeconds(90 * 86_400), 1_000)).isEqualTo(1);
        assertThat(events.query(EventQuery.all())).doesNotContain(ancient).hasSize(4);
        assertThat(events.prune(T0.minusSeconds(90 * 86_400), 2)).isEqualTo(2);
        assertThat(events.query(EventQuery.all())).containsExactly(high, low);
        assertThat(events.prune(T0.minusSeconds(90 * 86_400), 1)).isEqualTo(1);
        assertThat(events.query(EventQuery.all())).containsExactly(high);
        assertThat(events.prune(T0.minusSeconds(90 * 86_400), 5)).isZero();
        assertThat(info1.id()).isLessThan(info2.id());
    }

    @Test
    void state_survives_closing_and_reopening() throws Exception {
        registry.add(device(SENSOR), token(SENSOR));
        SecurityEvent stored = events.append(SecurityEvent.of(T0, EventType.DEVICE_QUARANTINED, Severity.HIGH, SENSOR,
                "admin", "quarantined"));
        database.close();
        database = Database.open(url());
        assertThat(new SqlDeviceRegistry(database).find(SENSOR)).isPresent();
        assertThat(new SqlEventStore(database).query(EventQuery.all())).containsExactly(stored);
    }

    @Test
    void detection_rules_and_feedback_adjustments_are_stored_and_replaced() {
        SqlDetectionStore store = new SqlDetectionStore(database);
        store.saveRule("meter-bytes", "{\"feature\":\"bytes_per_min\",\"value\":1}", T0);
        store.saveRule("meter-bytes", "{\"feature\":\"bytes_per_min\",\"value\":2}", T0);
        store.saveRule("other", "{}", T0);
        assertThat(store.rules()).containsEntry("meter-bytes", "{\"feature\":\"bytes_per_min\",\"value\":2}")
                .hasSize(2);
        assertThat(store.deleteRule("other")).isTrue();
        assertThat(store.deleteRule("other")).isFalse();

        var silenced = new io.palisade.core.detection.DetectionStore.Adjustment("sensor-1", "model", 1,
                Optional.of(T0.plus(Duration.ofHours(24))));
        store.saveAdjustment(new io.palisade.core.detection.DetectionStore.Adjustment("sensor-1", "model", 2,
                Optional.empty()), T0);
        store.saveAdjustment(silenced, T0);
        store.saveAdjustment(new io.palisade.core.detection.DetectionStore.Adjustment("sensor-2", "topic-probing", 4,
                Optional.empty()), T0);
        assertThat(store.adjustments()).hasSize(2).contains(silenced);

        var first = new io.palisade.core.detection.DetectionStore.Proposal("pr-1", T0, "sensor-1", "topic-probing",
                "20 refusals", "al-1");
        store.saveProposal(first);
        store.saveProposal(new io.palisade.core.detection.DetectionStore.Proposal("pr-2", T0.plusSeconds(1),
                "sensor-2", "model", "odd", "al-2"));
        store.deleteProposal("pr-2");
        assertThat(store.proposals()).containsExactly(first);
    }

    @Test
    void policies_and_segment_quarantine_are_stored_replaced_and_deleted() {
        SqlPolicyStore policies = new SqlPolicyStore(database);
        TopicPolicy meter = new TopicPolicy(List.of("telemetry/{segment}/{id}"), List.of("devices/{id}/fw/#"),
                List.of("broadcast/#"), List.of());
        policies.save(PolicyScope.profile("meter"), meter, T0);
        policies.save(PolicyScope.segment("plant-a"), TopicPolicy.EMPTY, T0);
        assertThat(policies.policies()).containsEntry(PolicyScope.profile("meter"), meter).hasSize(2);
        TopicPolicy narrower = new TopicPolicy(List.of(), List.of(), List.of("broadcast/{segment}/#"), List.of());
        policies.save(PolicyScope.profile("meter"), narrower, T0);
        assertThat(policies.policies()).containsEntry(PolicyScope.profile("meter"), narrower);
        assertThat(policies.delete(PolicyScope.segment("plant-a"))).isTrue();
        assertThat(policies.delete(PolicyScope.segment("plant-a"))).isFalse();

        policies.setSegmentQuarantined("plant-a", true, T0);
        policies.setSegmentQuarantined("plant-b", true, T0);
        policies.setSegmentQuarantined("plant-b", false, T0);
        assertThat(policies.quarantinedSegments()).containsExactly("plant-a");
    }

    @Test
    void rollouts_are_stored_with_their_members_in_planned_order_and_updated_per_device() {
        SqlRolloutStore rollouts = new SqlRolloutStore(database);
        RolloutSpec spec = new RolloutSpec("firmware/app-2.img", new TargetSelector(java.util.Set.of("meter"),
                java.util.Set.of(), false), List.of(Wave.parse("1"), Wave.parse("all")), 0.9, 0.1, false);
        Rollout rollout = Rollout.plan("ro-1", spec, List.of(DeviceId.of("a"), DeviceId.of("b"), DeviceId.of("c")), T0);
        List<DeviceId> first = rollout.start(T0);
        rollouts.create(rollout);
        rollout.report(first.get(0), MemberState.INSTALLED, "booted 2.0.0", T0.plusSeconds(5));
        rollouts.update(rollout, first);

        Rollout stored = rollouts.find("ro-1").orElseThrow();
        assertThat(stored.spec()).isEqualTo(spec);
        assertThat(stored.state()).isEqualTo(RolloutState.AWAITING_APPROVAL);
        assertThat(stored.reason()).isEqualTo(rollout.reason());
        assertThat(stored.members()).isEqualTo(rollout.members());
        assertThat(rollouts.find("nope")).isEmpty();
        Rollout second = Rollout.plan("ro-2", spec, List.of(DeviceId.of("a")), T0.plusSeconds(60));
        rollouts.create(second);
        assertThat(rollouts.list()).extracting(Rollout::id).containsExactly("ro-2", "ro-1");
    }

    @Test
    void overlay_grants_are_kept_after_revocation_and_hosts_are_replaced() {
        SqlOverlayStore overlay = new SqlOverlayStore(database);
        DeviceId plc = DeviceId.of("plc-1");
        io.palisade.core.overlay.OverlayGrant grant = io.palisade.core.overlay.OverlayGrant.issue("g-1",
                io.palisade.core.overlay.OverlaySubject.device(SENSOR), plc,
                502, Duration.ofHours(1), "firmware check", "alice", T0);
        overlay.add(grant);
        overlay.add(io.palisade.core.overlay.OverlayGrant.issue("g-2",
                io.palisade.core.overlay.OverlaySubject.parse("operator:alice"), DeviceId.of("plc-2"), 502,
                Duration.ofHours(1), "other", "alice", T0.plusSeconds(1)));
        assertThat(overlay.grants(io.palisade.core.overlay.OverlaySubject.device(SENSOR), plc)).containsExactly(grant);
        assertThat(overlay.grants(io.palisade.core.overlay.OverlaySubject.parse("operator:alice"), DeviceId.of("plc-2")))
                .hasSize(1);
        assertThat(overlay.grants()).extracting(io.palisade.core.overlay.OverlayGrant::id).containsExactly("g-2", "g-1");

        assertThat(overlay.revoke("g-1", T0.plusSeconds(60), "bob")).contains(grant.revokedAt(T0.plusSeconds(60), "bob"));
        assertThat(overlay.revoke("g-1", T0.plusSeconds(90), "carol")).as("already revoked").isEmpty();
        assertThat(overlay.revoke("nope", T0, "bob")).isEmpty();
        assertThat(overlay.grants(io.palisade.core.overlay.OverlaySubject.device(SENSOR), plc).get(0).revokedBy())
                .contains("bob");

        overlay.putHost(new io.palisade.core.overlay.OverlayHost(plc, "10.77.0.2", new java.util.TreeSet<>(List.of(502))), T0);
        overlay.putHost(new io.palisade.core.overlay.OverlayHost(plc, "plc-1.line-3", new java.util.TreeSet<>()), T0);
        assertThat(overlay.host(plc)).hasValueSatisfying(host -> {
            assertThat(host.address()).isEqualTo("plc-1.line-3");
            assertThat(host.modbusPorts()).isEmpty();
        });
        assertThat(overlay.deleteHost(plc)).isTrue();
        assertThat(overlay.deleteHost(plc)).isFalse();
        assertThat(overlay.hosts()).isEmpty();
    }

    @Test
    void a_devices_sealed_psk_is_stored_replaced_and_deleted() {
        SqlPskStore psks = new SqlPskStore(database);
        assertThat(psks.find(SENSOR)).isEmpty();
        assertThat(psks.put(SENSOR, new byte[]{1, 2, 3}, T0)).as("nothing replaced").isFalse();
        assertThat(psks.find(SENSOR)).hasValueSatisfying(sealed -> assertThat(sealed).containsExactly(1, 2, 3));
        assertThat(psks.put(SENSOR, new byte[]{4, 5}, T0)).as("replaced").isTrue();
        assertThat(psks.find(SENSOR)).hasValueSatisfying(sealed -> assertThat(sealed).containsExactly(4, 5));
        assertThat(psks.delete(SENSOR)).isTrue();
        assertThat(psks.find(SENSOR)).isEmpty();
    }

    @Test
    void zigbee_keys_and_bindings_are_stored_replaced_and_deleted() {
        SqlZigbeeStore zigbee = new SqlZigbeeStore(database);
        assertThat(zigbee.putKey("network", "0", new byte[]{1, 2}, T0)).isFalse();
        assertThat(zigbee.putKey("link", "00:12:4b:00:01:02:03:04", new byte[]{3}, T0)).isFalse();
        assertThat(zigbee.putKey("network", "0", new byte[]{9}, T0)).as("replaced").isTrue();
        assertThat(zigbee.keys()).extracting(SqlZigbeeStore.StoredKey::kind, SqlZigbeeStore.StoredKey::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("link", "00:12:4b:00:01:02:03:04"),
                        org.assertj.core.groups.Tuple.tuple("network", "0"));
        assertThat(zigbee.keys().get(1).sealed()).containsExactly(9);
        assertThat(zigbee.deleteKey("network", "0")).isTrue();
        assertThat(zigbee.bind("00:12:4b:00:01:02:03:04", SENSOR, T0)).isFalse();
        assertThat(zigbee.bindings()).extracting(SqlZigbeeStore.Binding::device).containsExactly(SENSOR);
        assertThat(zigbee.unbind("00:12:4b:00:01:02:03:04")).isTrue();
        assertThat(zigbee.bindings()).isEmpty();
    }

    @Test
    void radio_frame_counter_windows_move_forward_in_place() {
        SqlFrameCounters counters = new SqlFrameCounters(database);
        counters.saveAll(java.util.Map.of("a|nwk:0", new io.palisade.core.radio.FrameCounters.Window(10, 1),
                "b|nwk:0", new io.palisade.core.radio.FrameCounters.Window(4_000_000_000L, -1L)));
        counters.saveAll(java.util.Map.of("a|nwk:0", new io.palisade.core.radio.FrameCounters.Window(12, 5)));
        assertThat(counters.loadAll()).containsOnly(
                java.util.Map.entry("a|nwk:0", new io.palisade.core.radio.FrameCounters.Window(12, 5)),
                java.util.Map.entry("b|nwk:0", new io.palisade.core.radio.FrameCounters.Window(4_000_000_000L, -1L)));
    }

    @Test
    void tamper_counters_accept_only_a_higher_counter_per_device() {
        SqlTamperCounters counters = new SqlTamperCounters(database);
        DeviceId a = DeviceId.of("tamper-a");
        DeviceId b = DeviceId.of("tamper-b");
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(counters.advance(a, 5, now)).as("first report").isTrue();
        assertThat(counters.advance(a, 5, now)).as("the same counter again").isFalse();
        assertThat(counters.advance(a, 4, now)).as("an older counter").isFalse();
        assertThat(counters.advance(b, 1, now)).as("another device has its own counter").isTrue();
        assertThat(counters.advance(a, 9, now)).as("a gap is fine: reports may be lost").isTrue();
        assertThat(counters.advance(a, 6, now)).isFalse();
    }

    @Test
    void a_devices_learned_behaviour_is_replaced_only_by_one_seen_later() {
        SqlBehaviourStore store = new SqlBehaviourStore(database);
        DeviceId device = DeviceId.of("moving");
        Instant seen = Instant.parse("2026-12-04T10:00:00Z");
        store.save(device, new io.palisade.core.detection.BehaviourStore.Saved("{\"a\":1}".getBytes(), seen, "gw-a"));
        store.save(device, new io.palisade.core.detection.BehaviourStore.Saved("{\"b\":1}".getBytes(),
                seen.minusSeconds(5), "gw-b"));
        var kept = store.load(device).orElseThrow();
        assertThat(new String(kept.state())).as("an instance the device left earlier cannot overwrite").isEqualTo("{\"a\":1}");
        assertThat(kept.instance()).isEqualTo("gw-a");
        assertThat(kept.lastSeen()).isEqualTo(seen);
        store.save(device, new io.palisade.core.detection.BehaviourStore.Saved("{\"c\":1}".getBytes(),
                seen.plusSeconds(5), "gw-b"));
        assertThat(new String(store.load(device).orElseThrow().state())).isEqualTo("{\"c\":1}");
        assertThat(store.load(DeviceId.of("never-seen"))).isEmpty();
        store.delete(device);
        assertThat(store.load(device)).isEmpty();

        assertThat(store.newestCohortsOtherThan("gw-a")).isEmpty();
        store.saveCohorts("gw-a", "{\"a\":1}".getBytes(), seen);
        store.saveCohorts("gw-b", "{\"b\":1}".getBytes(), seen.plusSeconds(1));
        store.saveCohorts("gw-a", "{\"a\":2}".getBytes(), seen.plusSeconds(2));
        assertThat(new String(store.newestCohortsOtherThan("gw-c").orElseThrow().state())).as("the newest")
                .isEqualTo("{\"a\":2}");
        assertThat(store.newestCohortsOtherThan("gw-a").orElseThrow().instance()).as("never its own").isEqualTo("gw-b");
    }

    @Test
    void an_attestation_key_is_pinned_once_and_expectations_are_replaced_per_profile() {
        SqlAttestationStore store = new SqlAttestationStore(database);
        DeviceId device = DeviceId.of("attested");
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(store.pinKey(device, new byte[]{1, 2, 3}, now)).containsExactly(1, 2, 3);
        assertThat(store.pinKey(device, new byte[]{9}, now)).as("the first key stays").containsExactly(1, 2, 3);
        assertThat(store.forgetKey(device)).isTrue();
        assertThat(store.key(device)).isEmpty();
        store.expect("meters", java.util.Map.of(9, java.util.List.of(new byte[32]), 10,
                java.util.List.of(new byte[]{(byte) 0xab})), "images a, b", now);
        store.expect("meters", java.util.Map.of(9, java.util.List.of(new byte[]{7}, new byte[]{8}, new byte[]{7})),
                "images c, d", now);
        assertThat(store.expectation("meters")).hasValueSatisfying(e -> {
            assertThat(e.pcrs()).containsOnlyKeys(9);
            assertThat(e.pcrs().get(9)).as("either image, each value once").containsExactly(new byte[]{7}, new byte[]{8});
            assertThat(e.source()).isEqualTo("images c, d");
        });
        assertThat(store.expectation("other")).isEmpty();
        assertThat(store.clear("meters")).isTrue();
        assertThat(store.expectation("meters")).isEmpty();
    }

    @Test
    void rfid_records_end_without_their_key_and_rotation_links_the_successor() {
        SqlRfidStore rfid = new SqlRfidStore(database);
        var first = io.palisade.core.rfid.RfidToken.generate();
        var second = io.palisade.core.rfid.RfidToken.generate();
        rfid.insert(first, new byte[]{1}, new byte[]{2, 3}, T0);
        assertThat(rfid.find(first)).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(SqlRfidStore.State.ACTIVE);
            assertThat(r.ciphertext()).hasValueSatisfying(c -> assertThat(c).containsExactly(2, 3));
        });
        assertThat(rfid.rotate(first, second, new byte[]{4}, new byte[]{5}, T0)).isTrue();
        assertThat(rfid.rotate(first, second, new byte[]{4}, new byte[]{5}, T0)).as("only an active one").isFalse();
        assertThat(rfid.find(first)).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(SqlRfidStore.State.ROTATED);
            assertThat(r.wrappedKey()).isEmpty();
            assertThat(r.ciphertext()).isEmpty();
            assertThat(r.successor()).contains(second);
        });
        assertThat(rfid.end(second, SqlRfidStore.State.ERASED, java.util.Optional.empty(), T0)).isTrue();
        assertThat(rfid.find(second).orElseThrow().wrappedKey()).isEmpty();
        assertThat(rfid.sighted(first, SENSOR, T0)).isEmpty();
        assertThat(rfid.sighted(first, SENSOR, T0.plusSeconds(1))).hasValueSatisfying(s ->
                assertThat(s.at()).isEqualTo(T0));
        rfid.putReader(SENSOR, new io.palisade.core.rfid.ReaderLocation(1.5, -2), java.util.Optional.of("10.0.0.7:5084"),
                T0);
        assertThat(rfid.readers()).containsEntry(SENSOR, new SqlRfidStore.Reader(
                new io.palisade.core.rfid.ReaderLocation(1.5, -2), java.util.Optional.of("10.0.0.7:5084")));
        assertThat(rfid.deleteReader(SENSOR)).isTrue();
    }

    @Test
    void a_failed_transaction_changes_nothing() {
        assertThatThrownBy(() -> database.transaction("fail halfway", c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO devices (id, profile, segment, state, quarantined, created_at, updated_at)"
                        + " VALUES ('half', 'default', 'default', 'REGISTERED', 0, 0, 0)");
            }
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void the_newest_events_of_a_type_come_newest_first() {
        for (int i = 0; i < 5; i++) {
            events.append(SecurityEvent.of(T0.plusSeconds(i), EventType.ANOMALY_DETECTED, Severity.HIGH, SENSOR,
                    "detector", "finding " + i));
            events.append(SecurityEvent.of(T0.plusSeconds(i), EventType.AUTH_FAILED, Severity.MEDIUM, null,
                    "10.0.0.1", "noise " + i));
        }
        assertThat(events.newest(EventType.ANOMALY_DETECTED, 3)).extracting(SecurityEvent::message)
                .containsExactly("finding 4", "finding 3", "finding 2");
        assertThat(events.newest(EventType.FILE_MODIFIED, 3)).isEmpty();
    }

    @Test
    void a_store_created_before_the_dialects_shared_one_schema_opens_but_a_changed_migration_stops_the_start()
            throws Exception {
        StoreUrl url = database.url();
        database.close();
        setV1Checksum(url, preMergeV1Checksum());
        database = Database.open(url);
        assertThat(new SqlDeviceRegistry(database).list()).isEmpty();
        database.close();

        setV1Checksum(url, 12345);
        assertThatThrownBy(() -> Database.open(url)).isInstanceOf(StoreException.class)
                .hasMessageContaining("checksum mismatch for migration version 1");
        setV1Checksum(url, preMergeV1Checksum());
        database = Database.open(url); // for close()
    }

    private static void setV1Checksum(StoreUrl url, int checksum) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl());
             var update = c.prepareStatement("UPDATE flyway_schema_history SET checksum = ? WHERE version = '1'")) {
            update.setInt(1, checksum);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
