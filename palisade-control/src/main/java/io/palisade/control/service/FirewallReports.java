package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records what devices' embedded firewalls blocked as {@code firewall.blocked} events: one per device and report
 * window (the agent sends at most one every ten seconds), with both directions' counts and the sampled packets.
 */
public final class FirewallReports {

    static final int MAX_REPORT_BYTES = 8192;
    private static final int MAX_SAMPLES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events;

    public FirewallReports(Events events) {
        this.events = events;
    }

    public void listen(FleetChannel fleet) {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.FIREWALL), this::onReport);
    }

    void onReport(String topic, byte[] payload) {
        Optional<DeviceId> device = FleetTopics.deviceOf(topic);
        if (device.isEmpty()) {
            return;
        }
        JsonNode report;
        try {
            if (payload.length > MAX_REPORT_BYTES) {
                throw new IOException("a report of " + payload.length + " bytes");
            }
            report = JSON.readTree(payload);
            if (report == null || !report.path("blocked_in").canConvertToLong()
                    || !report.path("blocked_out").canConvertToLong() || !report.path("samples").isArray()) {
                throw new IOException("it needs blocked_in, blocked_out and samples");
            }
        } catch (IOException e) {
            events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, device.get(), "agent",
                    "malformed firewall report: " + e.getMessage());
            return;
        }
        List<String> samples = new ArrayList<>();
        for (JsonNode sample : report.path("samples")) {
            if (samples.size() == MAX_SAMPLES) {
                break;
            }
            samples.add(sample.path("protocol").asText("?") + " " + endpoint(sample, "source") + " -> "
                    + endpoint(sample, "destination") + " (" + sample.path("direction").asText("?") + ")");
        }
        long in = report.path("blocked_in").asLong();
        long out = report.path("blocked_out").asLong();
        events.emit(events.event(EventType.FIREWALL_BLOCKED, Severity.MEDIUM, device.get(), "agent",
                        "device " + device.get() + " blocked " + in + " packet(s) in and " + out + " out"
                                + (samples.isEmpty() ? "" : ", e.g. " + samples.get(0)))
                .withDetail("blocked_in", Long.toString(in)).withDetail("blocked_out", Long.toString(out))
                .withDetail("from", report.path("from").asText("")).withDetail("to", report.path("to").asText(""))
                .withDetail("samples", String.join("; ", samples)));
    }

    private static String endpoint(JsonNode sample, String side) {
        int port = sample.path(side + "_port").asInt(-1);
        return sample.path(side).asText("?") + (port >= 0 ? ":" + port : "");
    }
}
