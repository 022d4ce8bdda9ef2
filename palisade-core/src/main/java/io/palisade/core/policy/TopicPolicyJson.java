package io.palisade.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link TopicPolicy}, used by the API and the store:
 * {@code {"publish": {"allow": [...], "deny": [...]}, "subscribe": {"allow": [...], "deny": [...]}}}.
 */
public final class TopicPolicyJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicPolicyJson() {
    }

    public static ObjectNode toJson(TopicPolicy policy) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode publish = node.putObject("publish");
        policy.publishAllow().forEach(publish.putArray("allow")::add);
        policy.publishDeny().forEach(publish.putArray("deny")::add);
        ObjectNode subscribe = node.putObject("subscribe");
        policy.subscribeAllow().forEach(subscribe.putArray("allow")::add);
        policy.subscribeDeny().forEach(subscribe.putArray("deny")::add);
        return node;
    }

    /** Parses a policy; a bad shape or a bad filter gives an IllegalArgumentException naming it. */
    public static TopicPolicy fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a policy must be a JSON object with 'publish' and/or 'subscribe'");
        }
        return new TopicPolicy(list(node, "publish", "allow"), list(node, "publish", "deny"),
                list(node, "subscribe", "allow"), list(node, "subscribe", "deny"));
    }

    private static List<String> list(JsonNode node, String action, String effect) {
        JsonNode array = node.path(action).path(effect);
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("'" + action + "." + effect + "' must be an array of topic filters");
        }
        List<String> filters = new ArrayList<>();
        for (JsonNode filter : array) {
            if (!filter.isTextual()) {
                throw new IllegalArgumentException("'" + action + "." + effect + "' must hold strings");
            }
            filters.add(filter.asText());
        }
        return filters;
    }
}
