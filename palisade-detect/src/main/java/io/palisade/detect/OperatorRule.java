package io.palisade.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.device.Names;
import io.palisade.core.event.Severity;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A detection rule an operator defines at run time, over any {@link Feature}, for every device or
 * only those of one profile and/or segment.
 *
 * <ul>
 *   <li>{@code threshold}: fires when the feature reaches {@code value};</li>
 *   <li>{@code percentile}: fires when the feature exceeds the device's cohort's {@code value}-th
 *       percentile (e.g. 99.9), once the cohort has enough samples and its learning period is over;</li>
 *   <li>{@code rate-of-change}: fires when the feature rises at least {@code value} above the
 *       device's own average of the last few minutes.</li>
 * </ul>
 * JSON: {@code {"name": "meter-bytes", "feature": "bytes_per_min", "kind": "threshold", "value": 50000,
 * "profile": "meter", "segment": "", "severity": "medium", "action": "alert", "description": "..."}}.
 */
public record OperatorRule(String name, Feature feature, Kind kind, double value, String profile, String segment,
                           Severity severity, ResponseAction action, String description) {

    public static final int MAX_RULES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern RULE_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public enum Kind {
        THRESHOLD, PERCENTILE, RATE_OF_CHANGE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind parse(String text) {
            return Arrays.stream(values()).filter(k -> k.wireName().equals(text)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'kind' must be threshold, percentile or"
                            + " rate-of-change, not '" + text + "'"));
        }
    }

    public OperatorRule {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(action, "action");
        profile = profile == null ? "" : profile;
        segment = segment == null ? "" : segment;
        description = description == null ? "" : description;
        if (name == null || !RULE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a rule name must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("'value' must be a finite number of at least 0");
        }
        if (kind == Kind.PERCENTILE && (value <= 0 || value >= 100)) {
            throw new IllegalArgumentException("a percentile rule's 'value' is a percentile between 0 and 100");
        }
        if (!profile.isEmpty()) {
            Names.requireValid("profile", profile);
        }
        if (!segment.isEmpty()) {
            Names.requireValid("segment", segment);
        }
        if (description.length() > 256) {
            throw new IllegalArgumentException("'description' is limited to 256 characters");
        }
    }

    /** Whether this rule watches a device of the given profile and segment. */
    public boolean covers(DeviceScope scope) {
        return (profile.isEmpty() || profile.equals(scope.profile()))
                && (segment.isEmpty() || segment.equals(scope.segment()));
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", name);
        node.put("feature", feature.wireName());
        node.put("kind", kind.wireName());
        node.put("value", value);
        node.put("profile", profile);
        node.put("segment", segment);
        node.put("severity", severity.wireName());
        node.put("action", action.wireName());
        node.put("description", description);
        return node;
    }

    /** Parses a rule; {@code name} (when given) overrides the body's name, as for {@code PUT .../rules/NAME}. */
    public static OperatorRule fromJson(JsonNode node, Optional<String> name) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a rule must be a JSON object with 'feature', 'kind' and 'value'");
        }
        String ruleName = name.orElseGet(() -> text(node, "name", ""));
        Feature feature = Feature.byName(text(node, "feature", "")).orElseThrow(() -> new IllegalArgumentException(
                "'feature' must be one of " + Feature.names()));
        Kind kind = Kind.parse(text(node, "kind", "threshold"));
        JsonNode value = node.path("value");
        if (!value.isNumber()) {
            throw new IllegalArgumentException("'value' must be a number");
        }
        Severity severity;
        try {
            severity = Severity.fromWireName(text(node, "severity", "medium"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'severity' must be info, low, medium, high or critical");
        }
        ResponseAction action = node.has("action") ? ResponseAction.parse(text(node, "action", ""))
                : severity.compareTo(Severity.HIGH) >= 0 ? ResponseAction.QUARANTINE_WITH_APPROVAL : ResponseAction.ALERT;
        return new OperatorRule(ruleName, feature, kind, value.asDouble(), text(node, "profile", ""),
                text(node, "segment", ""), severity, action, text(node, "description", ""));
    }

    public static OperatorRule fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json), Optional.empty());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("a stored rule is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }
}
