package io.palisade.core.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * A notice from one instance to the others: "the standing of this {@code kind}/{@code key} changed; read it
 * again from the store and act on it". It carries no state of its own, so a notice that arrives twice or out
 * of date does no harm, and the store (shared by every instance) decides what is true.
 *
 * @param kind   what changed
 * @param key    which one: a device id, a policy scope ({@code profile:NAME}, {@code segment:NAME}), a segment
 * @param change what happened, for logs and for listeners that act on it ({@code quarantined}, {@code revoked},
 *               {@code released}, {@code put}, {@code deleted}, ...)
 * @param origin the instance that made the change (an instance ignores its own notices)
 * @param time   when it was made, by the origin's clock (for logs and lag figures only)
 */
public record StateChange(Kind kind, String key, String change, String origin, Instant time) {

    public static final int MAX_BYTES = 1024;
    public static final int MAX_FIELD = 200;
    private static final Set<String> FIELDS = Set.of("kind", "key", "change", "origin", "time");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a notice is about. */
    public enum Kind {
        /** A device was quarantined, released or revoked: sessions holding it must act. */
        DEVICE("device"),
        /** A topic policy was put or deleted: every instance reloads its policy book. */
        POLICY("policy"),
        /** A segment was quarantined or released. */
        SEGMENT("segment"),
        /** A SIEM destination was added or removed. */
        SIEM("siem"),
        /** Detection's operator rules or its feedback adjustments changed: every instance reloads them. */
        DETECTION("detection"),
        /**
         * Detection throttled a device: every instance cuts its quota until the time the notice names (change
         * {@code FACTORx until INSTANT}), so the cut follows the device to whichever instance it connects to. The
         * one notice that carries its state: a throttle is short-lived and kept nowhere else.
         */
        THROTTLE("throttle");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWireName(String name) {
            return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown kind '" + name + "' in a state notice"));
        }
    }

    public StateChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        requireField("key", key);
        requireField("change", change);
        requireField("origin", origin);
    }

    /**
     * The record key on the bus: one per thing that can change, so a compacted topic keeps only the latest
     * notice for each, and notices about one thing stay in order.
     */
    public String busKey() {
        return kind.wireName + ":" + key;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("kind", kind.wireName).put("key", key)
                    .put("change", change).put("origin", origin).put("time", time.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice of strings always serialises", e);
        }
    }

    /** Parses a notice; anything else (too large, not JSON, unknown or missing fields) is refused with the reason. */
    public static StateChange parse(byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("an empty state notice");
        }
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("a state notice of " + json.length + " bytes (at most " + MAX_BYTES + ")");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a state notice that is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a state notice must be a JSON object");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' in a state notice");
            }
        });
        try {
            return new StateChange(Kind.fromWireName(text(node, "kind")), text(node, "key"), text(node, "change"),
                    text(node, "origin"), Instant.parse(text(node, "time")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the 'time' of a state notice is not an RFC 3339 UTC time");
        }
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException("a state notice needs a text '" + field + "'");
        }
        return node.path(field).asText();
    }

    private static void requireField(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > MAX_FIELD) {
            throw new IllegalArgumentException("the " + name + " of a state notice must have 1 to " + MAX_FIELD
                    + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the " + name + " of a state notice holds a control character");
        }
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
