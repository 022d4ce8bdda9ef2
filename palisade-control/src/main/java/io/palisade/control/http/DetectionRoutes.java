package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.DetectionService;
import io.palisade.control.service.Refusal;
import io.palisade.detect.Alert;
import io.palisade.detect.AlertVerdict;
import io.palisade.detect.Detector;
import io.palisade.detect.OperatorRule;
import io.palisade.detect.PendingResponse;
import io.palisade.detect.TuningEntry;
import java.util.Optional;

/**
 * Detection in the REST API, under {@code /api/v1/detection/}:
 * <ul>
 *   <li>{@code GET rules} (built-in and operator rules), {@code PUT rules/{name}} (an {@link OperatorRule}),
 *       {@code DELETE rules/{name}};</li>
 *   <li>{@code GET alerts?limit=N}, {@code POST alerts/{id}/feedback} ({@code {"verdict": "false-positive"}}),
 *       {@code GET tuning} (what feedback changed);</li>
 *   <li>{@code GET pending}, {@code POST pending/{id}/approve}, {@code POST pending/{id}/dismiss};</li>
 *   <li>{@code GET devices/{id}} (the device's features now, and its cohort's normal range of each: 5th to 95th
 *       percentile).</li>
 * </ul>
 */
public final class DetectionRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ALERTS = 1000;

    private final DetectionService detection;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public DetectionRoutes(DetectionService detection, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.detection = detection;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String prefix = AdminApiRoutes.PREFIX + "detection/";
        router.add("GET", prefix + "rules", authenticator.guard((call, p) -> HttpReply.json(200, rules())),
                HttpReply::jsonError);
        router.add("PUT", prefix + "rules/{name}", authenticator.guard((call, p) -> {
            OperatorRule rule;
            try {
                rule = OperatorRule.fromJson(bodies.object(call), Optional.of(p.get("name")));
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, e.getMessage());
            }
            return HttpReply.json(200, detection.putRule(rule, JsonBodies.actor(call)).toJson());
        }), HttpReply::jsonError);
        router.add("DELETE", prefix + "rules/{name}", authenticator.guard((call, p) -> {
            detection.removeRule(p.get("name"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("deleted", true));
        }), HttpReply::jsonError);
        router.add("GET", prefix + "alerts", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            detection.alerts(limit(call)).forEach(alert -> list.add(alert(alert)));
            return HttpReply.json(200, JSON.createObjectNode().set("alerts", list));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "alerts/{id}/feedback", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            AlertVerdict verdict;
            try {
                verdict = AlertVerdict.parse(body.path("verdict").asText(""));
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, e.getMessage());
            }
            String effect = detection.feedback(p.get("id"), verdict, JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("alert", p.get("id"))
                    .put("verdict", verdict.wireName()).put("effect", effect));
        }), HttpReply::jsonError);
        router.add("GET", prefix + "tuning", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            detection.tuning().forEach(t -> list.add(tuning(t)));
            return HttpReply.json(200, JSON.createObjectNode().set("tuning", list));
        }), HttpReply::jsonError);
        router.add("GET", prefix + "pending", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            detection.pending().forEach(pending -> list.add(pending(pending)));
            return HttpReply.json(200, JSON.createObjectNode().set("pending", list));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "pending/{id}/approve", authenticator.guard((call, p) -> HttpReply.json(200,
                JSON.createObjectNode().put("id", p.get("id")).put("outcome",
                        detection.approve(p.get("id"), JsonBodies.actor(call))))), HttpReply::jsonError);
        router.add("POST", prefix + "pending/{id}/dismiss", authenticator.guard((call, p) -> HttpReply.json(200,
                JSON.createObjectNode().put("id", p.get("id")).put("outcome",
                        detection.dismiss(p.get("id"), JsonBodies.actor(call))))), HttpReply::jsonError);
        router.add("GET", prefix + "devices/{id}", authenticator.guard((call, p) -> {
            ObjectNode features = JSON.createObjectNode();
            detection.features(p.get("id")).forEach(features::put);
            ObjectNode normal = JSON.createObjectNode();
            detection.normalRanges(p.get("id")).forEach((feature, range) ->
                    normal.putObject(feature).put("low", range[0]).put("high", range[1]));
            ObjectNode reply = JSON.createObjectNode().put("device", p.get("id"));
            reply.set("features", features);
            return HttpReply.json(200, reply.set("normal", normal));
        }), HttpReply::jsonError);
        router.add("GET", prefix + "addresses/{id}", authenticator.guard((call, p) -> {
            ObjectNode features = JSON.createObjectNode();
            detection.addressFeatures(p.get("id")).forEach(features::put);
            ObjectNode reply = JSON.createObjectNode().put("address", p.get("id"));
            return HttpReply.json(200, reply.set("features", features));
        }), HttpReply::jsonError);
    }

    private ObjectNode rules() {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode builtIn = node.putArray("built_in");
        for (Detector.BuiltInRule rule : detection.builtInRules()) {
            builtIn.addObject().put("name", rule.name()).put("severity", rule.severity().wireName())
                    .put("action", rule.action().wireName()).put("description", rule.description());
        }
        ArrayNode operator = node.putArray("operator");
        detection.operatorRules().forEach(rule -> operator.add(rule.toJson()));
        return node;
    }

    private static int limit(HttpCall call) throws Refusal {
        String text = call.queryParameter("limit").orElse("100");
        try {
            int limit = Integer.parseInt(text);
            if (limit < 1 || limit > MAX_ALERTS) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'limit' must be a number from 1 to " + MAX_ALERTS);
        }
    }

    static ObjectNode alert(Alert alert) {
        ObjectNode node = JSON.createObjectNode().put("id", alert.id()).put("time", alert.time().toString())
                .put("subject", alert.subject()).put("device", alert.device()).put("rule", alert.rule())
                .put("severity", alert.severity().wireName()).put("action", alert.action().wireName())
                .put("reason", alert.reason()).put("features", alert.features());
        alert.verdict().ifPresent(v -> node.put("verdict", v.wireName()));
        return node;
    }

    private static ObjectNode tuning(TuningEntry entry) {
        ObjectNode node = JSON.createObjectNode().put("subject", entry.subject()).put("rule", entry.rule())
                .put("factor", entry.factor());
        entry.silentUntil().ifPresent(until -> node.put("silent_until", until.toString()));
        return node;
    }

    private static ObjectNode pending(PendingResponse pending) {
        return JSON.createObjectNode().put("id", pending.id()).put("created", pending.created().toString())
                .put("device", pending.device()).put("rule", pending.rule()).put("reason", pending.reason())
                .put("alert", pending.alertId());
    }
}
