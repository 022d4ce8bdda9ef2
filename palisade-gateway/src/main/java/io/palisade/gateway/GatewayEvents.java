package io.palisade.gateway;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;

/**
 * The gateway's events. Events an outsider can trigger at will (failed handshakes, refused
 * connections, quota hits) are reported at most once per {@value #REPORT_INTERVAL_SECONDS} s per
 * address or device and type, so that a flood cannot turn into an event flood; everything else is
 * reported every time.
 */
public final class GatewayEvents {

    static final int REPORT_INTERVAL_SECONDS = 10;

    private final EventSink sink;
    private final Clock clock;
    private final KeyedRateLimiter<String> reports;

    public GatewayEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.reports = new KeyedRateLimiter<>(1, 1.0 / REPORT_INTERVAL_SECONDS, 100_000, clock);
    }

    public void emit(EventType type, Severity severity, DeviceId device, String source, String message) {
        sink.emit(SecurityEvent.of(clock.instant(), type, severity, device, source, message));
    }

    /** Emits with structured {@code details} (topic, action, rule: what detection and SIEMs read). */
    public void emit(EventType type, Severity severity, DeviceId device, String source, String message,
                     java.util.Map<String, String> details) {
        sink.emit(SecurityEvent.of(clock.instant(), type, severity, device, source, message).withDetails(details));
    }

    /** Emits unless the same kind of event for the same key was emitted within the interval. */
    public void emitLimited(EventType type, Severity severity, DeviceId device, String source, String message) {
        String key = type.wireName() + "|" + (device != null ? device.value() : source);
        if (reports.tryAcquire(key)) {
            emit(type, severity, device, source, message);
        }
    }

    /**
     * A refused identity (unknown, superseded or revoked certificate, revoked device): attributed to the
     * source address, never to the device the certificate names, which goes into {@code details} as
     * {@code claimed_device}. Whoever holds a revoked key is no longer that device, and its reconnects
     * must not make detection act against the device (or against a device that is already revoked).
     * One summary per address and claimed device per interval.
     */
    void emitRefusedIdentity(DeviceId claimed, String source, String message) {
        String key = EventType.AUTH_FAILED.wireName() + "|" + source + "|" + (claimed == null ? "" : claimed.value());
        if (reports.tryAcquire(key)) {
            SecurityEvent event = SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null,
                    source, message);
            sink.emit(claimed == null ? event : event.withDetail("claimed_device", claimed.value()));
        }
    }

    Clock clock() {
        return clock;
    }
}
