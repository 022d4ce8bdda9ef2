package io.palisade.control.siem;

import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 5424 syslog: {@code <PRI>1 TIMESTAMP HOSTNAME palisade - MSGID [palisade@32473 ...] BOM message}.
 * Facility 10 (security/authorization); severity critical 2, high 3, medium 4, low 5, info 6; MSGID the
 * event type; one structured-data element with the event's fields and details, whose values escape
 * {@code "}, {@code \} and {@code ]} (RFC 5424 §6.3.3) and carry control characters as spaces (there is no
 * escape for them, and a line break would start a forged record at an LF-framed receiver); the message
 * as UTF-8 after a byte-order mark.
 *
 * <p>The SD-ID needs an IANA private enterprise number; 32473 is the one RFC 5612 reserves for
 * documentation, used until Palisade has its own.
 */
final class SyslogFormat implements EventFormatter {

    static final String SD_ID = "palisade@32473";
    private static final int FACILITY_AUTHPRIV = 10;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String BOM = "\uFEFF";
    private final Origin origin;

    SyslogFormat(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String format(SecurityEvent event) {
        StringBuilder out = header(event);
        parameter(out, "type", event.type().wireName());
        parameter(out, "severity", event.severity().wireName());
        if (!event.source().isEmpty()) {
            parameter(out, "source", event.source());
        }
        event.device().ifPresent(device -> parameter(out, "device", device.value()));
        for (Map.Entry<String, String> detail : new TreeMap<>(event.details()).entrySet()) { // in key order
            parameter(out, name(detail.getKey()), detail.getValue());
        }
        return out.append("] ").append(BOM).append(event.message()).toString();
    }

    /**
     * Syslog records carrying another format ({@code syslog+tls://} with CEF, LEEF, OCSF or JSON): the RFC 5424
     * header, structured data with just the event id (a receiver's handle for duplicates), and {@code body}'s
     * record as the message, without a byte-order mark (CEF and LEEF parsers read the message from its first byte).
     */
    static EventFormatter carrying(EventFormatter body, Origin origin) {
        SyslogFormat header = new SyslogFormat(origin);
        return event -> header.header(event).append("] ").append(body.format(event)).toString();
    }

    /** {@code <PRI>1 TIMESTAMP HOSTNAME palisade - MSGID [palisade@32473 id="N"}, the element left open. */
    private StringBuilder header(SecurityEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append('<').append(FACILITY_AUTHPRIV * 8 + severity(event.severity())).append(">1 ")
                .append(TIMESTAMP.format(event.time())).append(' ')
                .append(truncate(origin.hostName(), 255)).append(" palisade - ")
                .append(truncate(event.type().wireName(), 32)).append(" [").append(SD_ID);
        parameter(out, "id", Long.toString(event.id()));
        return out;
    }

    static int severity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> 2;
            case HIGH -> 3;
            case MEDIUM -> 4;
            case LOW -> 5;
            case INFO -> 6;
        };
    }

    private static void parameter(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(Character.isISOControl(c) ? ' ' : c); // no escape exists for them (see above)
        }
        out.append('"');
    }

    /** A PARAM-NAME: 1–32 printable US-ASCII characters other than {@code = ] "} and space. */
    static String name(String key) {
        StringBuilder name = new StringBuilder(Math.min(32, key.length()));
        for (int i = 0; i < key.length() && name.length() < 32; i++) {
            char c = key.charAt(i);
            name.append(c > 32 && c < 127 && c != '=' && c != ']' && c != '"' ? c : '_');
        }
        return name.isEmpty() ? "_" : name.toString();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
