package io.palisade.control.http;

import io.palisade.core.policy.Action;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.device.Device;
import io.palisade.control.service.DeviceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.PolicyService;
import io.palisade.control.service.Refusal;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import io.palisade.core.policy.TopicPolicyJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Policies and segments in the REST API:
 * {@code GET /api/v1/policies}, {@code PUT|GET|DELETE /api/v1/policies/{profile|segment}/{name}},
 * {@code POST /api/v1/segments/{name}/quarantine|release}, and {@code POST /api/v1/policies/test}
 * ({@code {"device", "topic", "action": "publish|subscribe"}}: allowed or refused, and which rule decided).
 */
public final class PolicyRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyService policies;
    private final DeviceService devices;
    private final AdminAuthenticator authenticator;

    public PolicyRoutes(PolicyService policies, DeviceService devices, AdminAuthenticator authenticator) {
        this.policies = policies;
        this.devices = devices;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        String prefix = AdminApiRoutes.PREFIX;
        router.add("GET", prefix + "policies", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            policies.all().forEach((scope, policy) -> {
                if (!policy.equals(TopicPolicy.EMPTY)) {
                    list.add(scopeJson(scope).setAll(TopicPolicyJson.toJson(policy)));
                }
            });
            return HttpReply.json(200, JSON.createObjectNode().set("policies", list));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "policies/test", authenticator.guard((call, p) -> test(call)),
                HttpReply::jsonError);
        router.add("GET", prefix + "policies/{kind}/{name}", authenticator.guard((call, p) -> {
            PolicyScope scope = scope(p);
            TopicPolicy policy = policies.all().get(scope);
            if (policy == null || policy.equals(TopicPolicy.EMPTY)) {
                throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no policy for " + scope);
            }
            return HttpReply.json(200, scopeJson(scope).setAll(TopicPolicyJson.toJson(policy)));
        }), HttpReply::jsonError);
        router.add("PUT", prefix + "policies/{kind}/{name}", authenticator.guard((call, p) -> {
            PolicyScope scope = scope(p);
            TopicPolicy policy;
            try {
                policy = TopicPolicyJson.fromJson(JSON.readTree(call.body()));
            } catch (IOException e) {
                throw new Refusal(Refusal.Kind.MALFORMED, "the policy is not valid JSON");
            } catch (IllegalArgumentException e) {
                throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
            }
            policies.put(scope, policy, JsonBodies.actor(call));
            return HttpReply.json(200, scopeJson(scope).setAll(TopicPolicyJson.toJson(policy)));
        }), HttpReply::jsonError);
        router.add("DELETE", prefix + "policies/{kind}/{name}", authenticator.guard((call, p) -> {
            policies.delete(scope(p), JsonBodies.actor(call));
            return HttpReply.json(200, scopeJson(scope(p)).put("deleted", true));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "segments/{name}/quarantine", authenticator.guard((call, p) ->
                segment(call, p.get("name"), true)), HttpReply::jsonError);
        router.add("POST", prefix + "segments/{name}/release", authenticator.guard((call, p) ->
                segment(call, p.get("name"), false)), HttpReply::jsonError);
        router.add("GET", prefix + "segments/{name}", authenticator.guard((call, p) -> HttpReply.json(200,
                JSON.createObjectNode().put("name", p.get("name"))
                        .put("quarantined", policies.isSegmentQuarantined(p.get("name"))))), HttpReply::jsonError);
    }

    /** What the gateway would decide for a device's publish or subscription now, and why. */
    private HttpReply test(HttpCall call) throws Refusal {
        JsonNode body;
        try {
            body = JSON.readTree(call.body());
        } catch (IOException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the request is not valid JSON");
        }
        if (body == null || !body.path("device").isTextual() || !body.path("topic").isTextual()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the request needs string fields 'device' and 'topic'");
        }
        Action action = switch (body.path("action").asText("publish")) {
            case "publish" -> Action.PUBLISH;
            case "subscribe" -> Action.SUBSCRIBE;
            default -> throw new Refusal(Refusal.Kind.MALFORMED, "'action' is publish or subscribe");
        };
        Device device = devices.show(body.get("device").asText());
        AccessDecision decision = policies.test(device, action, body.get("topic").asText());
        return HttpReply.json(200, JSON.createObjectNode().put("device", device.id().value())
                .put("action", action.wireName()).put("topic", body.get("topic").asText())
                .put("allowed", decision.allowed()).put("rule", decision.rule()).put("reason", decision.reason()));
    }

    private HttpReply segment(HttpCall call, String name, boolean quarantined) throws Refusal {
        Optional<String> reason = Optional.empty();
        if (call.body().length > 0) {
            try {
                JsonNode body = JSON.readTree(call.body());
                if (body != null && body.hasNonNull("reason")) {
                    reason = Optional.of(body.get("reason").asText());
                }
            } catch (IOException e) {
                throw new Refusal(Refusal.Kind.MALFORMED, "the request body is not valid JSON");
            }
        }
        policies.setSegmentQuarantined(name, quarantined, "admin@" + call.remoteAddress(), reason);
        return HttpReply.json(200, JSON.createObjectNode().put("name", name).put("quarantined", quarantined));
    }

    private static PolicyScope scope(Map<String, String> p) throws Refusal {
        try {
            return PolicyScope.of(p.get("kind"), p.get("name"));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static ObjectNode scopeJson(PolicyScope scope) {
        return JSON.createObjectNode().put("scope", scope.kind().wireName()).put("name", scope.name());
    }
}
