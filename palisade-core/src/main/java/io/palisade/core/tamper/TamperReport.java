package io.palisade.core.tamper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;

/**
 * One piece of tamper evidence as the device's agent reports it. The {@code counter} grows by at least one
 * with every report the device ever sends (the agent keeps it on disk), so the control plane refuses a
 * report it has seen, or an older one, as a replay. The JSON form is what the agent signs byte for byte.
 *
 * @param name   which sensor: a GPIO line ("gpiochip0:17"), an input switch ("SW_LID"), a device path
 * @param detail what the sensor said ("line went high", "vendor 0781 product 5567")
 */
public record TamperReport(DeviceId device, long counter, Instant time, TamperSensor sensor, String name,
                           String detail) {

    public static final int MAX_BYTES = 2048;
    public static final int MAX_NAME = 128;
    public static final int MAX_DETAIL = 512;
    private static final Set<String> FIELDS = Set.of("device", "counter", "time", "sensor", "name", "detail");
    private static final ObjectMapper JSON = new ObjectMapper();

    public TamperReport {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
        if (counter < 1) {
            throw new IllegalArgumentException("the report counter must be positive, was " + counter);
        }
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("the sensor name must have 1 to " + MAX_NAME + " characters");
        }
        if (detail.length() > MAX_DETAIL) {
            throw new IllegalArgumentException("the detail must have at most " + MAX_DETAIL + " characters");
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("device", device.value()).put("counter", counter)
                    .put("time", time.toString()).put("sensor", sensor.wireName()).put("name", name)
                    .put("detail", detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings and numbers always serialises", e);
        }
    }

    /** Parses a report; anything else (too large, not JSON, unknown or missing fields) is refused with the reason. */
    public static TamperReport parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("a tamper report of " + json.length + " bytes (at most " + MAX_BYTES + ")");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a tamper report that is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a tamper report must be a JSON object");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' in a tamper report");
            }
        });
        if (!node.path("counter").isIntegralNumber() || !node.path("counter").canConvertToLong()) {
            throw new IllegalArgumentException("a tamper report needs an integer 'counter'");
        }
        try {
            return new TamperReport(DeviceId.of(text(node, "device")), node.path("counter").asLong(),
                    Instant.parse(text(node, "time")), TamperSensor.fromWireName(text(node, "sensor")),
                    text(node, "name"), text(node, "detail"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the 'time' of a tamper report is not an RFC 3339 UTC time");
        }
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException("a tamper report needs a text '" + field + "'");
        }
        return node.path(field).asText();
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
