package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.core.rollout.MemberState;
import java.io.IOException;
import java.util.Optional;

/**
 * Hears devices' update reports on {@code quarantine/+/firmware/status}: records
 * {@code firmware.installed} and {@code firmware.rejected} events and feeds roll-outs. A report is
 * {@code {"rollout": "ro-…", "target": "firmware/x.img", "state": "downloading|staged|installed|failed",
 * "message": "…"}}; the device is the one the topic names, which the gateway has vouched for.
 * Malformed reports become {@code protocol.violation} events and change nothing.
 */
public final class FirmwareReports {

    /** Reports are a few short fields; anything larger is refused before parsing. */
    public static final int MAX_REPORT_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutService rollouts;
    private final Events events;

    public FirmwareReports(RolloutService rollouts, Events events) {
        this.rollouts = rollouts;
        this.events = events;
    }

    public void listen(FleetChannel fleet) {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.UPDATE_STATUS), this::onReport);
    }

    void onReport(String topic, byte[] payload) {
        Optional<DeviceId> device = FleetTopics.deviceOf(topic);
        if (device.isEmpty()) {
            return;
        }
        Report report;
        try {
            report = parse(payload);
        } catch (IllegalArgumentException e) {
            events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, device.get(), "mqtt",
                    "malformed firmware status report: " + e.getMessage());
            return;
        }
        // A report on a roll-out counts once: repeats (a device resending, or flooding) change nothing and
        // record nothing. Reports outside a roll-out are recorded as they come (the gateway's quota bounds them).
        if (!report.rollout().isEmpty() && !rollouts.report(device.get(), report.rollout(), report.state(),
                report.message())) {
            return;
        }
        String about = report.target() + (report.rollout().isEmpty() ? "" : " (roll-out " + report.rollout() + ")");
        if (report.state() == MemberState.INSTALLED) {
            events.emit(events.event(EventType.FIRMWARE_INSTALLED, Severity.INFO, device.get(), "mqtt",
                    "device " + device.get() + " installed " + about + ": " + report.message())
                    .withDetails(java.util.Map.of("target", report.target(), "via", report.rollout().isEmpty()
                            ? "update" : "rollout " + report.rollout())));
        } else if (report.state() == MemberState.FAILED) {
            events.emit(EventType.FIRMWARE_REJECTED, Severity.MEDIUM, device.get(), "mqtt",
                    "device " + device.get() + " did not install " + about + ": " + report.message());
        }
    }

    record Report(String rollout, String target, MemberState state, String message) {
    }

    static Report parse(byte[] payload) {
        if (payload.length > MAX_REPORT_BYTES) {
            throw new IllegalArgumentException("report of " + payload.length + " bytes (at most " + MAX_REPORT_BYTES + ")");
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String state = text(node, "state");
        MemberState parsed = MemberState.fromWireName(state);
        if (parsed == MemberState.PENDING || parsed == MemberState.NOTIFIED) {
            throw new IllegalArgumentException("'" + state + "' is not a state a device reports");
        }
        return new Report(node.path("rollout").asText(""), text(node, "target"), parsed, node.path("message").asText(""));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value.asText();
    }
}
