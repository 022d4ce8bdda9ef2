package io.palisade.core.rfid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader's report over MQTT ({@code devices/ID/rfid/tags}, the reader's own tree, so the gateway has proven the id):
 * {@code {"tags":[{"epc":"35…","time":"2026-12-03T10:00:00Z","antenna":1}]}}, {@code time} (RFC 3339) and
 * {@code antenna} optional. At most {@value #MAX_TAGS} tags and {@value #MAX_BYTES} bytes; anything else is refused
 * whole with the reason ({@link IllegalArgumentException}), nothing of it taken.
 */
public final class TagReport {

    public static final int MAX_TAGS = 1000;
    public static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TagReport() {
    }

    public static List<TagSighting> parse(DeviceId reader, byte[] payload, Instant now) {
        if (payload.length > MAX_BYTES) {
            throw new IllegalArgumentException("tag report of " + payload.length + " bytes is over " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("tag report is not JSON");
        }
        if (root == null || !root.path("tags").isArray()) {
            throw new IllegalArgumentException("tag report needs a \"tags\" array");
        }
        JsonNode tags = root.path("tags");
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("tag report lists " + tags.size() + " tags, over " + MAX_TAGS);
        }
        List<TagSighting> sightings = new ArrayList<>(tags.size());
        for (JsonNode tag : tags) {
            if (!tag.path("epc").isTextual() || !RfidToken.isValid(tag.path("epc").asText())) {
                throw new IllegalArgumentException("tag " + sightings.size() + " has no 96-bit \"epc\" (24 hex digits)");
            }
            Instant time = now;
            if (tag.has("time")) {
                try {
                    time = Instant.parse(tag.path("time").asText());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("tag " + sightings.size() + " has a \"time\" that is not RFC 3339");
                }
            }
            int antenna = tag.path("antenna").asInt(0);
            sightings.add(new TagSighting(RfidToken.parse(tag.path("epc").asText()), reader, time, antenna));
        }
        return sightings;
    }
}
