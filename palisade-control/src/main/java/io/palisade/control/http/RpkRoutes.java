package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.service.Refusal;
import io.palisade.control.service.RpkService;

/**
 * {@code PUT /api/v1/devices/{id}/rpk} (body {@code public_key}: a PEM public key or certificate): the device's raw
 * public key for CoAP over DTLS, answered with its SHA-256. Needs administer.
 */
public final class RpkRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RpkService rpks;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public RpkRoutes(RpkService rpks, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.rpks = rpks;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        router.add("PUT", AdminApiRoutes.PREFIX + "devices/{id}/rpk", authenticator.guard((call, p) -> {
            JsonNode key = bodies.object(call).get("public_key");
            if (key == null || !key.isTextual()) {
                throw new Refusal(Refusal.Kind.MALFORMED, "'public_key' (PEM) is required");
            }
            String hash = rpks.register(p.get("id"), key.asText(), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("device", p.get("id")).put("sha256", hash));
        }), HttpReply::jsonError);
    }
}
