package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.DeviceRetirement;

/**
 * The end of a device's life in the REST API: {@code POST /api/v1/devices/{id}/decommission} (optional
 * {@code "reason"}; answers with the revoked serials) and {@code DELETE /api/v1/devices/{id}}.
 */
public final class DeviceRetirementRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceRetirement retirement;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public DeviceRetirementRoutes(DeviceRetirement retirement, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.retirement = retirement;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        router.add("POST", AdminApiRoutes.PREFIX + "devices/{id}/decommission", authenticator.guard((call, p) -> {
            var serials = retirement.decommission(p.get("id"), JsonBodies.actor(call),
                    JsonBodies.reason(bodies.object(call)));
            ObjectNode reply = JSON.createObjectNode().put("device", p.get("id")).put("state", "decommissioned");
            serials.forEach(reply.putArray("revoked_serials")::add);
            return HttpReply.json(200, reply);
        }), HttpReply::jsonError);
        router.add("DELETE", AdminApiRoutes.PREFIX + "devices/{id}", authenticator.guard((call, p) -> {
            retirement.delete(p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("device", p.get("id")).put("deleted", true));
        }), HttpReply::jsonError);
    }
}
