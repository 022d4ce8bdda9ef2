package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.service.AuditChecks;
import io.palisade.control.service.Events;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceConnections;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each audit check against a real store: the fleet made to have the problem, and a healthy fleet to have none. */
class AuditChecksTest {

    @TempDir
    Path dir;
    private Fixture fixture;
    private final PolicyBook policies = new PolicyBook();
    private final Set<DeviceId> connected = new java.util.HashSet<>();
    private final List<AuditChecks.SiemState> siem = new ArrayList<>();
    private boolean detectionOn = true;

    @BeforeEach
    void open() {
        fixture = new Fixture(dir, 10);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private AuditChecks checks() {
        DeviceConnections live = new DeviceConnections() {
            @Override
            public Optional<Connection> connection(DeviceId id) {
                return connected.contains(id) ? Optional.of(new Connection(true, fixture.clock.instant(), "10.0.0.1:5000",
                        fixture.clock.instant())) : Optional.empty();
            }
        };
        return new AuditChecks(fixture.registry, () -> live, policies, fixture.events,
                new Events(fixture.events, fixture.clock), detectionOn, () -> siem, Duration.ofHours(24), fixture.clock);
    }

    private DeviceId enrolled(String id, Duration certificateLeft) throws Exception {
        fixture.devices.add(id, "meter", "plant-a", Duration.ofHours(1));
        DeviceId device = DeviceId.of(id);
        Instant now = fixture.clock.instant();
        fixture.registry.recordCertificate(new IssuedCertificate("serial-" + id, device, now.minus(Duration.ofHours(1)),
                now.plus(certificateLeft), Optional.empty()));
        Device registered = fixture.registry.find(device).orElseThrow();
        fixture.registry.update(registered.withState(DeviceState.ENROLLED, now));
        return device;
    }

    private List<String> findings(AuditChecks checks) {
        return checks.runNow("test").stream().map(f -> f.check() + " " + f.subject()).toList();
    }

    @Test
    void a_healthy_fleet_has_no_findings() throws Exception {
        enrolled("meter-1", Duration.ofHours(20));
        connected.add(DeviceId.of("meter-1"));
        policies.put(PolicyScope.profile("meter"), new TopicPolicy(List.of("telemetry/{segment}/{id}"), List.of(),
                List.of("broadcast/{segment}/#"), List.of()));
        assertThat(findings(checks())).isEmpty();
    }

    @Test
    void each_problem_is_found_and_recorded_as_an_audit_finding_event() throws Exception {
        enrolled("expiring", Duration.ofHours(3)); // under a quarter of the 24 h lifetime left
        DeviceId revoked = enrolled("revoked", Duration.ofHours(20));
        fixture.devices.revoke("revoked", "test", Optional.empty());
        connected.add(revoked);
        fixture.devices.add("forgotten", "meter", "plant-a", Duration.ofHours(1));
        fixture.clock.advance(Duration.ofDays(8)); // never enrolled in 8 days; the others' certificates moved on
        enrolled("roaming", Duration.ofHours(20));
        for (int i = 0; i < 7; i++) {
            fixture.events.append(SecurityEvent.of(fixture.clock.instant(), EventType.AUTH_SUCCEEDED, Severity.INFO,
                    DeviceId.of("roaming"), "198.51.100." + i + ":4000", "connected"));
        }
        policies.put(PolicyScope.segment("plant-a"), new TopicPolicy(List.of("devices/+/cmd"), List.of(),
                List.of("devices/{id}/#", "telemetry/#"), List.of()));
        policies.put(PolicyScope.profile("meter"), new TopicPolicy(List.of(), List.of(), List.of("#"), List.of()));
        detectionOn = false;
        siem.add(new AuditChecks.SiemState("soc", true, "Connection refused"));

        List<String> found = findings(checks());
        assertThat(found).contains("revoked-but-connected revoked", "never-enrolled forgotten",
                "many-addresses roaming", "policy-reaches-other-devices segment plant-a publish devices/+/cmd",
                "policy-reaches-other-devices profile meter subscribe #", "detection-disabled detection",
                "siem-failing soc");
        assertThat(found).noneMatch(f -> f.contains("telemetry/#")).noneMatch(f -> f.contains("devices/{id}/#"));
        assertThat(fixture.events.newest(EventType.AUDIT_FINDING, 100)).hasSize(found.size())
                .allSatisfy(e -> assertThat(e.details()).containsKeys("check", "subject"));
    }

    @Test
    void a_certificate_close_to_expiry_without_renewal_is_found() throws Exception {
        enrolled("expiring", Duration.ofHours(3));
        enrolled("fresh", Duration.ofHours(23));
        assertThat(findings(checks())).containsExactly("certificate-expiring expiring");
    }

    @Test
    void the_schedule_records_a_standing_finding_once() throws Exception {
        detectionOn = false;
        AuditChecks checks = checks();
        checks.runScheduled();
        checks.runScheduled();
        assertThat(fixture.events.newest(EventType.AUDIT_FINDING, 10)).hasSize(1);
        assertThat(checks.latest()).extracting(AuditChecks.Finding::check).containsExactly("detection-disabled");
    }
}
