package io.palisade.control.siem;

import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * ArcSight CEF:0 ({@code CEF:0|Vendor|Product|Version|Class ID|Name|Severity|Extension}). Header fields
 * escape {@code \} and {@code |}; extension values escape {@code \} and {@code =} and carry line breaks as
 * {@code \n} and {@code \r}, so that text an attacker put into a message cannot add fields or records.
 *
 * <p>Mapping: class id = event type ({@code auth.failed}), name = the message, severity 0–10 (info 1,
 * low 3, medium 5, high 8, critical 10); {@code rt} time in epoch ms, {@code externalId} the event id,
 * {@code cat} the type, {@code src} the source address when it is one (else {@code cs2} "source"),
 * {@code cs1} the device, {@code cs3} the details as {@code key=value; ...}, {@code dvchost} the reporter.
 */
final class CefFormat implements EventFormatter {

    private final Origin origin;

    CefFormat(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String format(SecurityEvent event) {
        StringBuilder out = new StringBuilder(256).append("CEF:0|");
        header(out, Origin.VENDOR);
        header(out, Origin.PRODUCT);
        header(out, origin.version());
        header(out, event.type().wireName());
        header(out, event.message());
        out.append(severity(event.severity())).append('|');
        extension(out, "rt", Long.toString(event.time().toEpochMilli()));
        extension(out, "externalId", Long.toString(event.id()));
        extension(out, "cat", event.type().wireName());
        extension(out, "dvchost", origin.hostName());
        io.palisade.core.net.IpLiteral.parse(event.source()).ifPresentOrElse(address -> extension(out, "src", address.getHostAddress()),
                () -> {
                    if (!event.source().isEmpty()) {
                        extension(out, "cs2Label", "source");
                        extension(out, "cs2", event.source());
                    }
                });
        event.device().ifPresent(device -> {
            extension(out, "cs1Label", "device");
            extension(out, "cs1", device.value());
        });
        if (!event.details().isEmpty()) {
            extension(out, "cs3Label", "details");
            extension(out, "cs3", details(event.details()));
        }
        extension(out, "msg", event.message());
        out.setLength(out.length() - 1); // the separator after the last field
        return out.toString();
    }

    static int severity(Severity severity) {
        return switch (severity) {
            case INFO -> 1;
            case LOW -> 3;
            case MEDIUM -> 5;
            case HIGH -> 8;
            case CRITICAL -> 10;
        };
    }

    /** Details as {@code key=value; ...} in key order (an event's details map has no order of its own). */
    static String details(Map<String, String> details) {
        return new TreeMap<>(details).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static void header(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '|') {
                out.append('\\');
            }
            out.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        out.append('|');
    }

    private static void extension(StringBuilder out, String key, String value) {
        out.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        out.append(' ');
    }
}
