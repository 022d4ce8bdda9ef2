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
final class GatewayEvents {

    static final int REPORT_INTERVAL_SECONDS = 10;

    private final EventSink sink;
    private final Clock clock;
    private final KeyedRateLimiter<String> reports;

    GatewayEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.reports = new KeyedRateLimiter<>(1, 1.0 / REPORT_INTERVAL_SECONDS, 100_000, clock);
    }

    void emit(EventType type, Severity severity, DeviceId device, String source, String message) {
        sink.emit(SecurityEvent.of(clock.instant(), type, severity, device, source, message));
    }

    /** Emits unless the same kind of event for the same key was emitted within the interval. */
    void emitLimited(EventType type, Severity severity, DeviceId device, String source, String message) {
        String key = type.wireName() + "|" + (device != null ? device.value() : source);
        if (reports.tryAcquire(key)) {
            emit(type, severity, device, source, message);
        }
    }

    Clock clock() {
        return clock;
    }
}
