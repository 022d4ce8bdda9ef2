package io.palisade.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.event.EventJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON forms of roll-outs, used by the API and the store. A spec:
 * {@code {"target": "firmware/x.img", "profiles": [], "segments": [], "tags": [], "include_quarantined": false,
 * "waves": ["1", "10%", "100%"], "success_threshold": 0.9, "error_threshold": 0.1, "auto_advance": true,
 * "wave_deadline_seconds": 86400}}.
 */
public final class RolloutJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutJson() {
    }

    public static ObjectNode spec(RolloutSpec spec) {
        ObjectNode node = JSON.createObjectNode();
        node.put("target", spec.target());
        spec.selector().profiles().stream().sorted().forEach(node.putArray("profiles")::add);
        spec.selector().segments().stream().sorted().forEach(node.putArray("segments")::add);
        spec.selector().tags().stream().sorted().forEach(node.putArray("tags")::add);
        node.put("include_quarantined", spec.selector().includeQuarantined());
        node.put("seen_within_seconds", spec.selector().seenWithin().map(java.time.Duration::toSeconds).orElse(0L));
        ArrayNode waves = node.putArray("waves");
        spec.waves().forEach(w -> waves.add(w.toString()));
        node.put("success_threshold", spec.successThreshold());
        node.put("error_threshold", spec.errorThreshold());
        node.put("auto_advance", spec.autoAdvance());
        node.put("wave_deadline_seconds", spec.waveDeadline().toSeconds());
        return node;
    }

    /** Parses a spec; absent fields take their defaults (everyone, one wave of 100%, default thresholds). */
    public static RolloutSpec spec(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a roll-out must be a JSON object with at least 'target'");
        }
        JsonNode target = node.path("target");
        if (!target.isTextual()) {
            throw new IllegalArgumentException("'target' must name an image of the update repository");
        }
        List<Wave> waves = new ArrayList<>();
        for (String wave : strings(node, "waves")) {
            waves.add(Wave.parse(wave));
        }
        if (waves.isEmpty()) {
            waves.add(new Wave(100, true));
        }
        return new RolloutSpec(target.asText(),
                new TargetSelector(Set.copyOf(strings(node, "profiles")), Set.copyOf(strings(node, "segments")),
                        Set.copyOf(strings(node, "tags")), bool(node, "include_quarantined", false),
                        seenWithin(node)),
                waves, number(node, "success_threshold", RolloutSpec.DEFAULT_SUCCESS_THRESHOLD),
                number(node, "error_threshold", RolloutSpec.DEFAULT_ERROR_THRESHOLD), bool(node, "auto_advance", true),
                seconds(node, "wave_deadline_seconds", RolloutSpec.DEFAULT_WAVE_DEADLINE));
    }

    /** The status an operator reads: the roll-out, counts per state, and each device. */
    public static ObjectNode status(Rollout rollout) {
        ObjectNode node = summary(rollout);
        ArrayNode devices = node.putArray("devices");
        for (RolloutMember member : rollout.members()) {
            ObjectNode device = devices.addObject();
            device.put("device", member.device().value());
            device.put("wave", member.wave() + 1);
            device.put("state", member.state().wireName());
            device.put("detail", member.detail());
            device.put("updated_at", EventJson.TIME.format(member.updatedAt()));
        }
        return node;
    }

    public static ObjectNode summary(Rollout rollout) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", rollout.id());
        node.put("state", rollout.state().wireName());
        node.put("reason", rollout.reason());
        node.put("wave", rollout.wave() + 1);
        node.put("waves", rollout.waveCount());
        node.set("spec", spec(rollout.spec()));
        node.put("created_at", EventJson.TIME.format(rollout.createdAt()));
        node.put("updated_at", EventJson.TIME.format(rollout.updatedAt()));
        rollout.waveDeadline().ifPresent(deadline -> node.put("wave_deadline_at", EventJson.TIME.format(deadline)));
        ObjectNode counts = node.putObject("counts");
        for (Map.Entry<MemberState, Integer> count : rollout.counts().entrySet()) {
            counts.put(count.getKey().wireName(), count.getValue());
        }
        return node;
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode array = node.path(field);
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode item : array) {
            if (!item.isTextual() && !item.isNumber()) {
                throw new IllegalArgumentException("'" + field + "' must hold strings");
            }
            if (seen.add(item.asText())) {
                values.add(item.asText());
            }
        }
        return values;
    }

    private static double number(JsonNode node, String field, double fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number between 0 and 1");
        }
        return value.asDouble();
    }

    /**
     * {@code seen_within_seconds}: absent means the default recency, 0 means devices however long unseen. A
     * stored spec reads back as written (the field is always written when recency applies).
     */
    private static java.util.Optional<java.time.Duration> seenWithin(JsonNode node) {
        java.time.Duration within = seconds(node, "seen_within_seconds", TargetSelector.DEFAULT_SEEN_WITHIN);
        return within.isZero() ? java.util.Optional.empty() : java.util.Optional.of(within);
    }

    private static java.time.Duration seconds(JsonNode node, String field, java.time.Duration fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number of seconds");
        }
        return java.time.Duration.ofSeconds(value.asLong());
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return value.asBoolean();
    }
}
