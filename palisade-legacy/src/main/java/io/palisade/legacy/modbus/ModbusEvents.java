package io.palisade.legacy.modbus;

import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.modbus.ModbusClient;
import io.palisade.core.modbus.ModbusDecision;
import io.palisade.core.modbus.ModbusRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy's security events, with the structured details detection and SIEMs read: {@code protocol} modbus,
 * {@code client}, {@code unit}, {@code function}, {@code access} (table and address range), {@code rule},
 * {@code reason}. Evidence is attributed to the client's source address, and also to its device when the client
 * proved one with its certificate (Modbus/TCP Security): then detection counts the refusals against that device
 * (enough of them, a scan, and the device is quarantined, which cuts its sessions here).
 */
final class ModbusEvents {

    private final EventSink sink;
    private final Clock clock;

    ModbusEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void refused(ModbusClient client, ModbusRequest request, ModbusDecision decision) {
        Map<String, String> details = details(client, request.unit(), request.function());
        details.put("access", String.join(", ", request.accesses().stream().map(a -> a.describe()).toList()));
        details.put("rule", decision.rule());
        details.put("reason", decision.reason());
        details.put("action", request.writes() ? "write" : "read");
        details.put("outcome", "refused");
        sink.emit(SecurityEvent.of(clock.instant(), EventType.ACL_DENIED, request.writes() ? Severity.HIGH
                        : Severity.MEDIUM, device(client), client.address(), "Modbus " + request.describe() + " from "
                        + client.describe() + " refused (" + decision.rule() + "): " + decision.reason())
                .withDetails(details));
    }

    void violation(ModbusClient client, int unit, int function, String reason) {
        Map<String, String> details = details(client, unit, function);
        details.put("reason", reason);
        sink.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device(client),
                client.address(), "malformed Modbus request from " + client.describe() + ": " + reason)
                .withDetails(details));
    }

    void brokenFraming(ModbusClient client, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device(client),
                client.address(), "Modbus/TCP framing broken by " + client.describe() + " (" + reason
                        + "); connection closed").withDetails(Map.of("protocol", "modbus", "client", client.describe(),
                "reason", reason)));
    }

    /** A Modbus/TCP Security client refused after its handshake: counted against its address. */
    void clientRefused(String address, java.util.Optional<String> claimed, String reason) {
        Map<String, String> details = new HashMap<>();
        details.put("protocol", "modbus");
        details.put("reason", reason);
        claimed.ifPresent(device -> details.put("claimed_device", device));
        sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                "Modbus/TCP Security client at " + address + " refused: " + reason).withDetails(details));
    }

    void clientAdmitted(ModbusClient client) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_SUCCEEDED, Severity.INFO, device(client),
                client.address(),
                "Modbus/TCP Security client " + client.describe() + " connected").withDetails(Map.of("protocol",
                "modbus", "client", client.describe(), "role", client.role().orElse(""))));
    }

    /** The device a client proved with its certificate; none for a legacy master (its address is all it has). */
    private static io.palisade.core.device.DeviceId device(ModbusClient client) {
        return client.identity().map(io.palisade.core.device.DeviceId::of).orElse(null);
    }

    private static Map<String, String> details(ModbusClient client, int unit, int function) {
        Map<String, String> details = new HashMap<>();
        details.put("protocol", "modbus");
        details.put("client", client.describe());
        details.put("unit", Integer.toString(unit));
        details.put("function", Integer.toString(function));
        return details;
    }
}
