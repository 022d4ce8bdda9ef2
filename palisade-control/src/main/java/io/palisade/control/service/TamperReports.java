package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.core.tamper.TamperCounters;
import io.palisade.core.tamper.TamperReport;
import io.palisade.core.tamper.TamperResponse;
import io.palisade.pki.tamper.SignedTamperReport;
import io.palisade.pki.tamper.TamperReportCheck;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Believes a tamper report only when it proves itself ({@link TamperReportCheck}) and its counter is above
 * every counter accepted from that device before ({@link TamperCounters}, kept in the store), records it as
 * {@code tamper.detected} (critical) and applies the configured response: alert, quarantine, lock (quarantine
 * and a signed lock command) or zeroise (quarantine and a signed wipe). A refused report is a
 * {@code protocol.violation} naming the channel it came on, never the device it names: anyone who can
 * publish on the broker can produce one.
 */
public final class TamperReports {

    private static final System.Logger LOG = System.getLogger(TamperReports.class.getName());
    static final String ACTOR = "tamper-response";

    private final TamperReportCheck check;
    private final TamperCounters counters;
    private final DeviceService devices;
    private final DeviceCommands commands;
    private final Events events;
    private final Clock clock;
    private final TamperResponse response;

    public TamperReports(TamperReportCheck check, TamperCounters counters, DeviceService devices,
                         DeviceCommands commands, Events events, Clock clock, TamperResponse response) {
        this.check = check;
        this.counters = counters;
        this.devices = devices;
        this.commands = commands;
        this.events = events;
        this.clock = clock;
        this.response = response;
    }

    public void listen(FleetChannel fleet) {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.TAMPER), this::onReport);
    }

    /** One envelope from {@code topic}; answers the event it recorded (a finding or a refusal), if any. */
    public Optional<SecurityEvent> onReport(String topic, byte[] envelope) {
        Optional<DeviceId> channel = FleetTopics.deviceOf(topic);
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        TamperReportCheck.Accepted accepted;
        try {
            accepted = check.check(envelope, channel.get());
        } catch (SignedTamperReport.Refused e) {
            return Optional.of(refuse(topic, e.getMessage()));
        }
        TamperReport report = accepted.opened().report();
        if (!counters.advance(report.device(), report.counter(), clock.instant())) {
            return Optional.of(refuse(topic, "report " + report.counter() + " of device " + report.device()
                    + " was seen before or is older than one already accepted (a replay)"));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("sensor", report.sensor().wireName());
        details.put("name", report.name());
        details.put("detail", report.detail());
        details.put("counter", Long.toString(report.counter()));
        details.put("reported_at", report.time().toString());
        details.put("response", response.wireName());
        SecurityEvent event = events.event(EventType.TAMPER_DETECTED, Severity.CRITICAL, report.device(), "agent",
                "device " + report.device() + " reports tampering: " + report.sensor().wireName() + " " + report.name()
                        + ": " + report.detail() + " (response: " + response.wireName() + ")").withDetails(details);
        events.emit(event);
        respond(report);
        return Optional.of(event);
    }

    private void respond(TamperReport report) {
        if (response == TamperResponse.ALERT) {
            return;
        }
        String id = report.device().value();
        Optional<String> reason = Optional.of("tamper evidence: " + report.sensor().wireName() + " " + report.name());
        try {
            if (!devices.show(id).quarantined()) {
                devices.quarantine(id, ACTOR, reason);
            }
            if (response == TamperResponse.LOCK) {
                commands.lock(id, ACTOR, reason);
            } else if (response == TamperResponse.ZEROISE) {
                commands.wipe(id, ACTOR, reason);
            }
        } catch (Refusal e) {
            LOG.log(System.Logger.Level.ERROR, "the tamper response '" + response.wireName() + "' to device " + id
                    + " failed: " + e.getMessage());
            events.emit(EventType.COMMAND_FAILED, Severity.HIGH, report.device(), ACTOR, "the tamper response '"
                    + response.wireName() + "' to device " + id + " failed: " + e.getMessage());
        }
    }

    private SecurityEvent refuse(String topic, String reason) {
        SecurityEvent event = events.event(EventType.PROTOCOL_VIOLATION, Severity.HIGH, null, "broker:" + topic,
                "refused a tamper report on " + topic + ": " + reason).withDetail("reason", reason);
        events.emit(event);
        return event;
    }
}
