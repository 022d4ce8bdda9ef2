package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import java.io.IOException;
import java.util.Optional;

/**
 * Records file integrity changes as {@code file.modified} events (severity high): from devices' agents
 * on {@code quarantine/+/integrity}, and from hosts (the gateway's own) through the admin API. The
 * event keeps the path, the kind of change, the attributes that changed, both hashes and what the
 * reporter did about it.
 */
public final class IntegrityReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events;

    public IntegrityReports(Events events) {
        this.events = events;
    }

    public void listen(FleetChannel fleet) {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.INTEGRITY), (topic, payload) -> {
            Optional<DeviceId> device = FleetTopics.deviceOf(topic);
            if (device.isEmpty()) {
                return;
            }
            try {
                if (payload.length > FirmwareReports.MAX_REPORT_BYTES) {
                    throw new IllegalArgumentException("report of " + payload.length + " bytes");
                }
                record(device, "mqtt", JSON.readTree(payload));
            } catch (IOException | IllegalArgumentException e) {
                events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, device.get(), "mqtt",
                        "malformed file integrity report: " + e.getMessage());
            }
        });
    }

    /** Records one change report; a report without kind and path is refused. */
    public SecurityEvent record(Optional<DeviceId> device, String source, JsonNode change) {
        if (change == null || !change.path("path").isTextual() || !change.path("kind").isTextual()) {
            throw new IllegalArgumentException("a file change needs 'kind' and 'path'");
        }
        java.util.List<String> changed = new java.util.ArrayList<>();
        change.path("changed").forEach(attribute -> changed.add(attribute.asText()));
        String message = change.path("message").asText(change.path("kind").asText() + " " + change.path("path").asText());
        SecurityEvent event = events.event(EventType.FILE_MODIFIED, Severity.HIGH, device.orElse(null), source,
                        (device.map(d -> "device " + d + ": ").orElse(source + ": ")) + message)
                .withDetail("path", change.path("path").asText())
                .withDetail("kind", change.path("kind").asText())
                .withDetail("changed", String.join(",", changed))
                .withDetail("before_sha256", change.path("before").path("sha256").asText(""))
                .withDetail("after_sha256", change.path("after").path("sha256").asText(""))
                .withDetail("response", change.path("response").asText("reported"));
        events.emit(event);
        return event;
    }
}
