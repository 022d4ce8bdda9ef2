package io.palisade.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The JSON form of a {@link SecurityEvent} (field names as in DESIGN.md), both ways. */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Event times always with milliseconds ({@code 2026-12-02T13:37:32.000Z}): ISO_INSTANT drops a zero
     * fraction, which made listings mix second and millisecond precision and columns shift.
     */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private EventJson() {
    }

    public static ObjectNode toJson(SecurityEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", event.id());
        node.put("time", TIME.format(event.time()));
        node.put("type", event.type().wireName());
        node.put("severity", event.severity().wireName());
        event.device().ifPresent(d -> node.put("device", d.value()));
        node.put("source", event.source());
        node.put("message", event.message());
        if (!event.details().isEmpty()) {
            ObjectNode details = node.putObject("details");
            event.details().forEach(details::put);
        }
        return node;
    }

    /** Reads one event from its JSON bytes; a malformed document is an {@link IllegalArgumentException}. */
    public static SecurityEvent fromJson(byte[] json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not an event: " + e.getMessage(), e);
        }
    }

    public static SecurityEvent fromJson(JsonNode node) {
        Map<String, String> details = new TreeMap<>();
        JsonNode detailNode = node.path("details");
        detailNode.fieldNames().forEachRemaining(k -> details.put(k, detailNode.get(k).asText()));
        return new SecurityEvent(
                node.path("id").asLong(0),
                // Written with milliseconds; a finer time from elsewhere is cut to the same precision, so an event
                // read back is equal to itself written again.
                Instant.parse(node.path("time").asText()).truncatedTo(ChronoUnit.MILLIS),
                EventType.fromWireName(node.path("type").asText()),
                Severity.fromWireName(node.path("severity").asText()),
                node.hasNonNull("device") ? Optional.of(DeviceId.of(node.get("device").asText())) : Optional.empty(),
                node.path("source").asText(""),
                node.path("message").asText(""),
                details);
    }
}
