package io.palisade.core.event;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One security-relevant fact. Events are values: stages build them, sinks store and forward them.
 *
 * @param id      position in the event store, 0 until stored
 * @param device  the device concerned, when known
 * @param source  the network address the action came from, or a component name for internal actions
 * @param details extra key/value facts (serials, reasons); never secrets
 */
public record SecurityEvent(long id, Instant time, EventType type, Severity severity, Optional<DeviceId> device,
                            String source, String message, Map<String, String> details) {

    /** Longest message stored; attackers control parts of some messages. */
    public static final int MAX_MESSAGE_LENGTH = 1000;

    public SecurityEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(device, "device");
        source = source == null ? "" : source;
        message = sanitize(Objects.requireNonNull(message, "message"));
        details = Map.copyOf(new TreeMap<>(details));
    }

    public static SecurityEvent of(Instant time, EventType type, Severity severity, DeviceId device, String source,
                                   String message) {
        return new SecurityEvent(0, time, type, severity, Optional.ofNullable(device), source, message, Map.of());
    }

    public SecurityEvent withDetail(String key, String value) {
        Map<String, String> copy = new TreeMap<>(details);
        copy.put(key, value);
        return new SecurityEvent(id, time, type, severity, device, source, message, copy);
    }

    /** This event with {@code more} details added (a key already present takes the new value). */
    public SecurityEvent withDetails(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> copy = new TreeMap<>(details);
        copy.putAll(more);
        return new SecurityEvent(id, time, type, severity, device, source, message, copy);
    }

    public SecurityEvent withId(long newId) {
        return new SecurityEvent(newId, time, type, severity, device, source, message, details);
    }

    /** Removes control characters so that a message cannot forge extra log or syslog lines. */
    private static String sanitize(String message) {
        String cut = message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }
}
