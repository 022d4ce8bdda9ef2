package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.Refusal;
import io.palisade.control.service.RfidVault;

/**
 * The RFID token vault in the REST API: {@code POST /api/v1/rfid/tokens} (body {@code record}: a new token for it),
 * {@code GET /api/v1/rfid/tokens} (tokens and states, never records), {@code GET /api/v1/rfid/tokens/{token}} (the
 * record: operate permission, every lookup recorded), {@code POST /api/v1/rfid/tokens/{token}/rotate},
 * {@code DELETE /api/v1/rfid/tokens/{token}} (crypto-erase), and readers' places:
 * {@code GET /api/v1/rfid/readers}, {@code PUT|DELETE /api/v1/rfid/readers/{id}} (body {@code x}, {@code y} in metres, optional
 * {@code llrp} HOST[:PORT] for a reader Palisade connects to over LLRP). Tag passwords:
 * {@code PUT /api/v1/rfid/tokens/{token}/passwords} ({@code kill}, {@code access}: 8 hex digits each),
 * {@code POST /api/v1/rfid/tokens/{token}/releases} ({@code reader}, {@code operation} kill|access, {@code reason}),
 * and {@code POST /rfid/claim} ({@code token}, {@code operation}), where the named reader, proven by its device
 * certificate, takes the password once.
 */
public final class RfidRoutes {

    /** Where a reader claims a released tag password, with its device certificate. */
    public static final String CLAIM = "/rfid/claim";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RfidVault vault;
    private final io.palisade.control.service.TagSightings sightings;
    private final io.palisade.control.service.TagPasswords passwords;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public RfidRoutes(RfidVault vault, io.palisade.control.service.TagSightings readers,
                      io.palisade.control.service.TagPasswords passwords, AdminAuthenticator authenticator,
                      JsonBodies bodies) {
        this.vault = vault;
        this.sightings = readers;
        this.passwords = passwords;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String tokens = AdminApiRoutes.PREFIX + "rfid/tokens";
        router.add("POST", tokens, authenticator.guard((call, p) -> {
            JsonNode record = bodies.object(call).get("record");
            if (record == null || !record.isTextual()) {
                throw new Refusal(Refusal.Kind.MALFORMED, "'record' (text) is required");
            }
            return HttpReply.json(201, JSON.createObjectNode().put("token",
                    vault.issue(record.asText(), JsonBodies.actor(call)).hex()));
        }), HttpReply::jsonError);
        router.add("GET", tokens, authenticator.guard((call, p) -> {
            ObjectNode out = JSON.createObjectNode();
            var list = out.putArray("tokens");
            vault.list().forEach(r -> {
                ObjectNode item = list.addObject().put("token", r.token().hex())
                        .put("state", r.state().name().toLowerCase(java.util.Locale.ROOT))
                        .put("created_at", r.createdAt().toString()).put("changed_at", r.changedAt().toString());
                r.successor().ifPresent(s -> item.put("successor", s.hex()));
            });
            return HttpReply.json(200, out);
        }), HttpReply::jsonError);
        router.add("GET", tokens + "/{id}", authenticator.guard((call, p) -> {
            RfidVault.Lookup found = vault.lookup(p.get("id"), JsonBodies.actor(call), call.remoteAddress());
            ObjectNode out = JSON.createObjectNode().put("token", found.token().hex())
                    .put("state", found.state().name().toLowerCase(java.util.Locale.ROOT));
            found.record().ifPresent(r -> out.put("record", r));
            found.successor().ifPresent(s -> out.put("successor", s.hex()));
            return HttpReply.json(200, out);
        }), HttpReply::jsonError);
        router.add("POST", tokens + "/{id}/rotate", authenticator.guard((call, p) -> HttpReply.json(200,
                JSON.createObjectNode().put("previous", p.get("id").toUpperCase(java.util.Locale.ROOT))
                        .put("token", vault.rotate(p.get("id"), JsonBodies.actor(call)).hex()))), HttpReply::jsonError);
        router.add("DELETE", tokens + "/{id}", authenticator.guard((call, p) -> {
            vault.erase(p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("erased", true));
        }), HttpReply::jsonError);
        router.add("PUT", tokens + "/{id}/passwords", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            passwords.setPasswords(p.get("id"), java.util.Optional.ofNullable(body.get("kill")).map(JsonNode::asText),
                    java.util.Optional.ofNullable(body.get("access")).map(JsonNode::asText), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("token", p.get("id")).put("kept", true));
        }), HttpReply::jsonError);
        router.add("POST", tokens + "/{id}/releases", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            String id = passwords.release(p.get("id"), body.path("reader").asText(), body.path("operation").asText(),
                    body.path("reason").asText(), JsonBodies.actor(call));
            return HttpReply.json(201, JSON.createObjectNode().put("release", id).put("reader",
                    body.path("reader").asText()).put("operation", body.path("operation").asText())
                    .put("valid_seconds", io.palisade.control.service.TagPasswords.RELEASE_VALIDITY.toSeconds()));
        }), HttpReply::jsonError);
        // Readers claim with their device certificate (mutual TLS), not an operator's token: outside /api/v1.
        router.add("POST", CLAIM, (call, p) -> {
            JsonNode body = bodies.object(call);
            String password = passwords.claim(call.clientCertificates(), body.path("token").asText(),
                    body.path("operation").asText(), call.remoteAddress());
            return HttpReply.json(200, JSON.createObjectNode().put("token", body.path("token").asText())
                    .put("operation", body.path("operation").asText()).put("password", password));
        }, HttpReply::jsonError);
        String readers = AdminApiRoutes.PREFIX + "rfid/readers";
        router.add("GET", readers, authenticator.guard((call, p) -> {
            ObjectNode out = JSON.createObjectNode();
            var list = out.putArray("readers");
            sightings.readers().forEach((id, reader) -> {
                ObjectNode item = list.addObject().put("reader", id.value()).put("x", reader.location().x())
                        .put("y", reader.location().y());
                reader.llrp().ifPresent(a -> item.put("llrp", a));
            });
            return HttpReply.json(200, out);
        }), HttpReply::jsonError);
        router.add("PUT", readers + "/{id}", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            if (!body.path("x").isNumber() || !body.path("y").isNumber()) {
                throw new Refusal(Refusal.Kind.MALFORMED, "'x' and 'y' (metres, numbers) are required");
            }
            sightings.placeReader(p.get("id"), body.path("x").asDouble(), body.path("y").asDouble(),
                    java.util.Optional.ofNullable(body.get("llrp")).map(JsonNode::asText), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("reader", p.get("id"))
                    .put("x", body.path("x").asDouble()).put("y", body.path("y").asDouble()));
        }), HttpReply::jsonError);
        router.add("DELETE", readers + "/{id}", authenticator.guard((call, p) -> {
            sightings.removeReader(p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("deleted", true));
        }), HttpReply::jsonError);
    }
}
