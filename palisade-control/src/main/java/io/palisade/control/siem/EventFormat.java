package io.palisade.control.siem;

import io.palisade.core.event.EventJson;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats a SIEM destination or {@code palisade events --format} can use. */
public enum EventFormat {
    /** ArcSight Common Event Format, version 0. */
    CEF,
    /** IBM QRadar Log Event Extended Format 2.0, tab-delimited. */
    LEEF,
    /** Open Cybersecurity Schema Framework 1.3 JSON, one object per event. */
    OCSF,
    /** Palisade's own JSON, as the REST API returns it. */
    JSON,
    /** RFC 5424 syslog with the event's fields as structured data. */
    RFC5424;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The formatter for events reported by {@code origin}. */
    public EventFormatter formatter(Origin origin) {
        return switch (this) {
            case CEF -> new CefFormat(origin);
            case LEEF -> new LeefFormat(origin);
            case OCSF -> new OcsfFormat(origin);
            case JSON -> event -> EventJson.toJson(event).toString();
            case RFC5424 -> new SyslogFormat(origin);
        };
    }

    /** The formatter for records sent over syslog: RFC 5424 itself, or any other format inside an RFC 5424 record. */
    public EventFormatter syslogFormatter(Origin origin) {
        return this == RFC5424 ? new SyslogFormat(origin) : SyslogFormat.carrying(formatter(origin), origin);
    }

    /** Whether each record is a JSON object (a webhook embeds those as objects, the others as strings). */
    public boolean isJson() {
        return this == OCSF || this == JSON;
    }

    /** Parses {@code cef}, {@code leef}, {@code ocsf}, {@code json} or {@code rfc5424}, naming the choices when it is none. */
    public static EventFormat parse(String name) {
        for (EventFormat format : values()) {
            if (format.wireName().equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown event format '" + name + "'; formats: "
                + Arrays.stream(values()).map(EventFormat::wireName).collect(Collectors.joining(", ")));
    }
}
