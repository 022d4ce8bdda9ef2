package io.palisade.core.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A tunnel is allowed only with an active grant for exactly that host and port, and both ends healthy. */
class OverlayAccessTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final DeviceId WS = DeviceId.of("ws-1");
    private static final DeviceId PLC = DeviceId.of("plc-1");
    private static final OverlayHost HOST = new OverlayHost(PLC, "10.0.0.2", new TreeSet<>(List.of(502)));
    private static final OverlayGrant GRANT = OverlayGrant.issue("g-1", OverlaySubject.device(WS), PLC, 502, Duration.ofHours(1), "check",
            "alice", NOW.minusSeconds(60));

    private final OverlayAccess access = new OverlayAccess(segment -> segment.equals("quarantined-segment"));

    private static Device device(DeviceId id) {
        return new Device(id, "default", "line-3", DeviceState.ENROLLED, false, NOW, NOW);
    }

    private OverlayAccess.Decision decide(Device subject, Optional<Device> target, List<OverlayGrant> grants, int port,
                                          Instant at) {
        return access.decide(OverlaySubject.device(subject.id()), Optional.of(subject), PLC, target, Optional.of(HOST),
                grants, port, at);
    }

    @Test
    void an_active_grant_for_the_host_and_port_with_both_ends_healthy_allows() {
        OverlayAccess.Decision decision = decide(device(WS), Optional.of(device(PLC)), List.of(GRANT), 502, NOW);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.grant()).contains(GRANT);
        assertThat(decision.host()).contains(HOST);
    }

    @Test
    void without_a_matching_active_grant_it_is_refused_and_says_why() {
        assertThat(decide(device(WS), Optional.of(device(PLC)), List.of(), 502, NOW).reason())
                .isEqualTo("ws-1 has no grant for plc-1:502");
        assertThat(decide(device(WS), Optional.of(device(PLC)), List.of(GRANT), 503, NOW).allowed()).as("other port")
                .isFalse();
        assertThat(decide(device(WS), Optional.of(device(PLC)), List.of(GRANT), 502, GRANT.expires()).reason())
                .isEqualTo("ws-1 has no active grant for plc-1:502 (its grants expired or were revoked)");
        assertThat(decide(device(WS), Optional.of(device(PLC)), List.of(GRANT.revokedAt(NOW, "bob")), 502, NOW)
                .allowed()).isFalse();
        assertThat(access.decide(OverlaySubject.device(WS), Optional.of(device(WS)), PLC, Optional.of(device(PLC)),
                Optional.empty(), List.of(GRANT), 502, NOW).reason()).contains("has no overlay address");
        assertThat(decide(device(WS), Optional.empty(), List.of(GRANT), 502, NOW).reason())
                .isEqualTo("there is no device plc-1");
    }

    @Test
    void a_quarantined_or_revoked_end_or_one_in_a_quarantined_segment_gets_no_tunnel() {
        assertThat(decide(device(WS).withQuarantined(true, NOW), Optional.of(device(PLC)), List.of(GRANT), 502, NOW)
                .reason()).isEqualTo("the client ws-1 is quarantined");
        assertThat(decide(device(WS), Optional.of(device(PLC).withQuarantined(true, NOW)), List.of(GRANT), 502, NOW)
                .reason()).isEqualTo("the host plc-1 is quarantined");
        assertThat(decide(device(WS), Optional.of(device(PLC).withState(DeviceState.REVOKED, NOW)), List.of(GRANT), 502,
                NOW).reason()).isEqualTo("the host plc-1 is revoked");
        Device segmented = new Device(PLC, "default", "quarantined-segment", DeviceState.ENROLLED, false, NOW, NOW);
        assertThat(decide(device(WS), Optional.of(segmented), List.of(GRANT), 502, NOW).reason())
                .isEqualTo("the host plc-1's segment quarantined-segment is quarantined");
    }

    @Test
    void an_operator_subject_needs_its_own_grant_and_a_healthy_host() {
        OverlaySubject alice = OverlaySubject.parse("operator:alice");
        OverlayGrant hers = OverlayGrant.issue("g-2", alice, PLC, 502, Duration.ofHours(1), "check", "bob", NOW);
        assertThat(access.decide(alice, Optional.empty(), PLC, Optional.of(device(PLC)), Optional.of(HOST),
                List.of(hers), 502, NOW).allowed()).isTrue();
        assertThat(access.decide(alice, Optional.empty(), PLC, Optional.of(device(PLC)), Optional.of(HOST),
                List.of(GRANT), 502, NOW).reason()).as("the workstation's grant is not hers")
                .isEqualTo("operator:alice has no grant for plc-1:502");
        assertThat(access.decide(alice, Optional.empty(), PLC, Optional.of(device(PLC).withQuarantined(true, NOW)),
                Optional.of(HOST), List.of(hers), 502, NOW).reason()).isEqualTo("the host plc-1 is quarantined");
        assertThat(OverlaySubject.parse("ws-1")).isEqualTo(OverlaySubject.device(WS));
        assertThat(alice.toString()).isEqualTo("operator:alice");
        assertThatThrownBy(() -> OverlaySubject.parse("ws 1")).hasMessageContaining("neither a device id");
        assertThatThrownBy(() -> OverlaySubject.parse("operator:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grants_are_bounded_and_explained() {
        assertThatThrownBy(() -> OverlayGrant.issue("g", OverlaySubject.device(WS), PLC, 502, Duration.ofDays(8), "x", "a", NOW))
                .hasMessageContaining("between 1 minute and 7 days");
        assertThatThrownBy(() -> OverlayGrant.issue("g", OverlaySubject.device(WS), PLC, 502, Duration.ofHours(1), " ", "a", NOW))
                .hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> OverlayGrant.issue("g", OverlaySubject.device(WS), PLC, 0, Duration.ofHours(1), "x", "a", NOW))
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> OverlayGrant.issue("g", OverlaySubject.device(PLC), PLC, 502, Duration.ofHours(1), "x", "a", NOW))
                .hasMessageContaining("to itself");
        assertThatThrownBy(() -> new OverlayHost(PLC, "10.0.0.2; rm -rf", new TreeSet<>()))
                .hasMessageContaining("is not a host name or IP address");
    }
}
