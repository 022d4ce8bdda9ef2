package io.palisade.core.siem;

import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One place events are exported to.
 *
 * @param name        operator's name for it (letters, digits, {@code .-_}, 1–64)
 * @param url         {@code syslog+tls://}, {@code syslog+tcp://}, {@code syslog+udp://} or {@code https://}
 * @param format      the record format's wire name ({@code cef}, {@code leef}, {@code ocsf}, {@code json}, {@code rfc5424})
 * @param minSeverity events below it are not sent
 * @param types       the event types sent; empty means every type
 * @param caPem       the CA certificates to trust for the receiver (PEM); empty means the JVM's CAs
 * @param certPem     the client certificate chain Palisade presents (PEM), when the receiver asks for one
 * @param created     when it was added
 */
public record SiemDestination(String name, String url, String format, Severity minSeverity, Set<EventType> types,
                              Optional<String> caPem, Optional<String> certPem, Instant created) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public SiemDestination {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(minSeverity, "minSeverity");
        types = Set.copyOf(types);
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(created, "created");
        checkName(name);
    }

    /** Refuses a name that is not 1–64 letters, digits, dots, dashes and underscores, starting with a letter or digit. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a SIEM destination name is 1-64 letters, digits, '.', '-' or '_',"
                    + " starting with a letter or digit; got '" + name + "'");
        }
        return name;
    }

    /** Whether {@code event} is one this destination takes. */
    public boolean wants(SecurityEvent event) {
        return event.severity().compareTo(minSeverity) >= 0 && (types.isEmpty() || types.contains(event.type()));
    }
}
