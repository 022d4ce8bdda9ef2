package io.palisade.control.console;

import io.palisade.control.http.HttpCall;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The timeline's filters, from the query string: an event type, a least severity, a device. Unknown values are
 * refused with the reason rather than silently showing everything.
 */
record TimelineFilter(Optional<EventType> type, Optional<Severity> minSeverity, Optional<String> device)
        implements Predicate<SecurityEvent> {

    static TimelineFilter of(HttpCall call) throws ApiFailure {
        try {
            return new TimelineFilter(nonEmpty(call, "type").map(EventType::fromWireName),
                    nonEmpty(call, "severity").map(Severity::fromWireName), nonEmpty(call, "device"));
        } catch (IllegalArgumentException e) {
            throw new ApiFailure(400, "bad timeline filter: " + e.getMessage());
        }
    }

    private static Optional<String> nonEmpty(HttpCall call, String name) {
        return call.queryParameter(name).map(String::strip).filter(value -> !value.isEmpty());
    }

    @Override
    public boolean test(SecurityEvent event) {
        return type.map(t -> t == event.type()).orElse(true)
                && minSeverity.map(s -> event.severity().compareTo(s) >= 0).orElse(true)
                && device.map(d -> event.device().map(id -> id.value().equals(d)).orElse(false)).orElse(true);
    }

    /** Whether a stored event (as the API answers it) passes the severity filter (the API filters the rest). */
    boolean severityAllows(com.fasterxml.jackson.databind.JsonNode event) {
        return minSeverity.map(s -> Severity.fromWireName(event.path("severity").asText("info")).compareTo(s) >= 0)
                .orElse(true);
    }

    /** The same filters as a query string, for the stream's URL. */
    String query() {
        StringBuilder query = new StringBuilder();
        type.ifPresent(t -> query.append("&type=").append(ConsoleRoutes.encode(t.wireName())));
        minSeverity.ifPresent(s -> query.append("&severity=").append(ConsoleRoutes.encode(s.wireName())));
        device.ifPresent(d -> query.append("&device=").append(ConsoleRoutes.encode(d)));
        return query.isEmpty() ? "" : "?" + query.substring(1);
    }

    public String typeName() {
        return type.map(EventType::wireName).orElse("");
    }

    public String severityName() {
        return minSeverity.map(Severity::wireName).orElse("");
    }

    public String deviceName() {
        return device.orElse("");
    }
}
