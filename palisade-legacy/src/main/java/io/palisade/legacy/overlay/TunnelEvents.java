package io.palisade.legacy.overlay;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.modbus.ModbusAccess;
import io.palisade.core.modbus.ModbusRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The tunnels' security events, with the details SIEMs read ({@code protocol} overlay, {@code subject}, {@code host},
 * {@code port}, {@code grant}, {@code reason}). A refused request counts against the device the client proved with its
 * certificate, else only against its address. The session record (opened, closed) must not be lost to a flood's
 * aggregation, so it is stored durably, off the I/O threads.
 */
final class TunnelEvents {

    private final EventSink sink;
    private final EventSink durable;
    private final Executor recorder;
    private final Clock clock;

    TunnelEvents(EventSink sink, EventSink durable, Executor recorder, Clock clock) {
        this.sink = sink;
        this.durable = durable;
        this.recorder = recorder;
        this.clock = clock;
    }

    void refused(String address, TunnelAdmission.Result result, ConnectRequest request) {
        Map<String, String> details = new HashMap<>(Map.of("protocol", "overlay", "host", request.device().value(),
                "port", Integer.toString(request.port()), "reason", result.reason()));
        if (result.subject().isEmpty()) {
            result.claimed().ifPresent(claimed -> details.put("claimed_device", claimed.value()));
            sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                    "tunnel client at " + address + " refused: " + result.reason()).withDetails(details));
            return;
        }
        io.palisade.core.overlay.OverlaySubject subject = result.subject().get();
        details.put("subject", subject.toString());
        sink.emit(SecurityEvent.of(clock.instant(), EventType.ACL_DENIED, Severity.MEDIUM,
                subject.deviceId().orElse(null), address,
                "tunnel from " + subject + " to " + request + " refused: " + result.reason()).withDetails(details));
    }

    void handshakeFailed(String address, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                "tunnel client at " + address + " failed the TLS handshake: " + reason)
                .withDetails(Map.of("protocol", "overlay", "reason", reason)));
    }

    void badRequest(String address, Optional<DeviceId> device, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device.orElse(null),
                address, "malformed tunnel request from " + address + ": " + reason)
                .withDetails(Map.of("protocol", "overlay", "reason", reason)));
    }

    void unreachable(Tunnel tunnel, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.OVERLAY_SESSION, Severity.LOW, tunnel.subjectDevice(),
                tunnel.address(), "tunnel from " + tunnel.subject() + " to " + tunnel.target() + " could not reach the"
                        + " host: " + reason).withDetails(details(tunnel, "failed")).withDetail("reason", reason));
    }

    void opened(Tunnel tunnel) {
        record(SecurityEvent.of(clock.instant(), EventType.OVERLAY_SESSION, Severity.INFO, tunnel.subjectDevice(),
                tunnel.address(), "tunnel from " + tunnel.subject() + " to " + tunnel.target() + " opened (grant "
                        + tunnel.grant().id() + ")").withDetails(details(tunnel, "opened")));
    }

    void closed(Tunnel tunnel, long bytesUp, long bytesDown, Duration lasted, String why, Map<String, String> modbus) {
        Map<String, String> details = details(tunnel, "closed");
        details.put("bytes_up", Long.toString(bytesUp));
        details.put("bytes_down", Long.toString(bytesDown));
        details.put("duration_ms", Long.toString(lasted.toMillis()));
        details.put("reason", why);
        details.putAll(modbus);
        record(SecurityEvent.of(clock.instant(), EventType.OVERLAY_SESSION, Severity.INFO, tunnel.subjectDevice(),
                tunnel.address(), "tunnel from " + tunnel.subject() + " to " + tunnel.target() + " closed after "
                        + lasted.toMillis() + " ms (" + bytesUp + " bytes up, " + bytesDown + " down): " + why)
                .withDetails(details));
    }

    /** A write inside a Modbus tunnel (reads are counted, not recorded one by one). */
    void modbusWrite(Tunnel tunnel, ModbusRequest request) {
        Map<String, String> details = details(tunnel, "relayed");
        details.put("protocol", "modbus");
        details.put("unit", Integer.toString(request.unit()));
        details.put("function", Integer.toString(request.function()));
        details.put("access", String.join(", ", request.accesses().stream().map(ModbusAccess::describe).toList()));
        sink.emit(SecurityEvent.of(clock.instant(), EventType.MODBUS_REQUEST, Severity.LOW, tunnel.subjectDevice(),
                tunnel.address(), "Modbus " + request.describe() + " from " + tunnel.subject() + " through the tunnel to "
                        + tunnel.target()).withDetails(details));
    }

    void modbusMalformed(Tunnel tunnel, String reason) {
        Map<String, String> details = details(tunnel, "relayed");
        details.put("protocol", "modbus");
        details.put("reason", reason);
        sink.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, tunnel.subjectDevice(),
                tunnel.address(), "malformed Modbus from " + tunnel.subject() + " in the tunnel to " + tunnel.target()
                        + ": " + reason).withDetails(details));
    }

    private void record(SecurityEvent event) {
        try {
            recorder.execute(() -> durable.emit(event));
        } catch (RejectedExecutionException shuttingDown) {
            sink.emit(event);
        }
    }

    private static Map<String, String> details(Tunnel tunnel, String phase) {
        Map<String, String> details = new HashMap<>();
        details.put("protocol", "overlay");
        details.put("phase", phase);
        details.put("subject", tunnel.subject().toString());
        details.put("host", tunnel.target().device().value());
        details.put("port", Integer.toString(tunnel.target().port()));
        details.put("grant", tunnel.grant().id());
        return details;
    }
}
