package io.palisade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventJson;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void json_carries_the_fields_of_the_design_and_round_trips() {
        SecurityEvent event = SecurityEvent.of(Instant.parse("2026-11-27T10:00:00.123Z"), EventType.AUTH_FAILED,
                Severity.MEDIUM, DeviceId.of("sensor-1"), "10.0.0.7", "wrong token").withDetail("serial", "ab");
        var json = EventJson.toJson(event.withId(42));
        assertThat(json.get("time").asText()).isEqualTo("2026-11-27T10:00:00.123Z");
        assertThat(json.get("type").asText()).isEqualTo("auth.failed");
        assertThat(json.get("severity").asText()).isEqualTo("medium");
        assertThat(json.get("device").asText()).isEqualTo("sensor-1");
        assertThat(json.get("source").asText()).isEqualTo("10.0.0.7");
        assertThat(EventJson.fromJson(json)).isEqualTo(event.withId(42));
    }

    @Test
    void every_design_event_type_has_its_wire_name_and_an_ocsf_class() {
        Set<String> names = Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("auth.failed", "auth.succeeded", "acl.denied", "quota.exceeded",
                "protocol.violation", "cert.issued", "cert.revoked", "device.quarantined", "device.released",
                "firmware.rejected", "firmware.installed", "anomaly.detected", "file.modified", "tamper.detected",
                // beyond DESIGN.md's list: outcomes of remote wipe / reflash commands (R13)
                "device.wiped", "command.failed", "device.locked", "device.unlocked", "firewall.blocked",
                // TPM attestation of a device's boot
                "attestation.passed", "attestation.failed",
                // the device life cycle beyond revocation
                "device.decommissioned", "device.deleted",
                // admin.*: an operator's request refused for its content, the admin token replaced, SIEM destinations,
                // every administrative request, configuration changes with before and after
                "admin.request_refused", "admin.token_rotated", "admin.siem", "admin.action", "admin.change",
                // findings of the audit checks
                "audit.finding",
                // the isolation overlay's tunnels, and Modbus requests decoded inside them
                "overlay.session", "modbus.request",
                // what verifying 802.15.4 / ZigBee frames found
                "radio.finding",
                // every read of what an RFID token stands for
                "rfid.lookup");
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromWireName(type.wireName())).isEqualTo(type);
            assertThat(type.ocsfClassUid()).isBetween(1000, 6999);
        }
        assertThatThrownBy(() -> EventType.fromWireName("nope")).hasMessageContaining("unknown event type");
    }

    @Test
    void messages_cannot_forge_log_lines() {
        SecurityEvent event = SecurityEvent.of(Instant.EPOCH, EventType.PROTOCOL_VIOLATION, Severity.LOW, null, "x",
                "bad\nFAKE LINE\r\u0000" + "y".repeat(5000));
        assertThat(event.message()).doesNotContain("\n", "\r", "\u0000").hasSize(SecurityEvent.MAX_MESSAGE_LENGTH);
    }
}
