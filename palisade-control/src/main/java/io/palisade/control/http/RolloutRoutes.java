package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.palisade.control.service.RolloutService;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutJson;
import io.palisade.core.rollout.RolloutSpec;

/**
 * Firmware roll-outs in the REST API: {@code POST /api/v1/rollouts} (a spec, see {@link RolloutJson}),
 * {@code GET /api/v1/rollouts}, {@code GET /api/v1/rollouts/{id}} (with every device's state) and
 * {@code POST /api/v1/rollouts/{id}/approve|pause|resume|cancel}.
 */
public final class RolloutRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutService rollouts;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public RolloutRoutes(RolloutService rollouts, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.rollouts = rollouts;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String prefix = AdminApiRoutes.PREFIX + "rollouts";
        router.add("POST", prefix, authenticator.guard((call, p) -> {
            RolloutSpec spec;
            try {
                spec = RolloutJson.spec(bodies.object(call));
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, e.getMessage());
            }
            return HttpReply.json(201, RolloutJson.summary(rollouts.create(spec, JsonBodies.actor(call))));
        }), HttpReply::jsonError);
        router.add("GET", prefix, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            for (Rollout rollout : rollouts.list()) {
                list.add(RolloutJson.summary(rollout));
            }
            return HttpReply.json(200, JSON.createObjectNode().set("rollouts", list));
        }), HttpReply::jsonError);
        router.add("GET", prefix + "/{id}", authenticator.guard((call, p) ->
                HttpReply.json(200, RolloutJson.status(rollouts.get(p.get("id"))))), HttpReply::jsonError);
        router.add("POST", prefix + "/{id}/approve", authenticator.guard((call, p) ->
                HttpReply.json(200, RolloutJson.summary(rollouts.approve(p.get("id"))))), HttpReply::jsonError);
        router.add("POST", prefix + "/{id}/pause", authenticator.guard((call, p) ->
                HttpReply.json(200, RolloutJson.summary(rollouts.pause(p.get("id"))))), HttpReply::jsonError);
        router.add("POST", prefix + "/{id}/resume", authenticator.guard((call, p) ->
                HttpReply.json(200, RolloutJson.summary(rollouts.resume(p.get("id"))))), HttpReply::jsonError);
        router.add("POST", prefix + "/{id}/cancel", authenticator.guard((call, p) ->
                HttpReply.json(200, RolloutJson.summary(rollouts.cancel(p.get("id"),
                        JsonBodies.reason(bodies.object(call)).orElse("cancelled by an operator"))))),
                HttpReply::jsonError);
    }
}
