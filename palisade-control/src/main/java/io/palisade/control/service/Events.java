package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Clock;

/** Builds and emits events with the service's clock, so call sites read as one line each. */
public final class Events {

    private final EventSink sink;
    private final Clock clock;

    public Events(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    public SecurityEvent event(EventType type, Severity severity, DeviceId device, String source, String message) {
        return SecurityEvent.of(clock.instant(), type, severity, device, source, message);
    }

    public void emit(EventType type, Severity severity, DeviceId device, String source, String message) {
        sink.emit(event(type, severity, device, source, message));
    }

    public void emit(SecurityEvent event) {
        sink.emit(event);
    }

    /**
     * Records a configuration change: {@code what} (policy, detection-rule) named {@code subject}, as it was and as it
     * is now (JSON, or {@code none} when it did not or no longer exists), and who changed it.
     */
    public void change(String actor, String what, String subject, String before, String after) {
        emit(event(EventType.ADMIN_CHANGE, Severity.INFO, null, actor, actor + " changed " + what + " " + subject)
                .withDetails(java.util.Map.of("actor", actor, "what", what, "subject", subject, "before", before,
                        "after", after)));
    }

    /** Emits the event and returns a refusal carrying the same message, for {@code throw events.refuse(...)}. */
    public Refusal refuse(Refusal.Kind kind, EventType type, Severity severity, DeviceId device, String source,
                          String message) {
        emit(type, severity, device, source, message);
        return new Refusal(kind, message);
    }
}
