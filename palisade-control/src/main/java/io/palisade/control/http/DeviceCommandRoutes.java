package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.DeviceCommands;
import io.palisade.pki.command.DeviceCommand;

/**
 * Remote commands in the REST API: {@code POST /api/v1/devices/{id}/wipe}, {@code .../lock},
 * {@code .../unlock} and {@code .../reflash} with {@code {"target": "firmware/x.img"}}; all take an
 * optional {@code "reason"}. The device must be quarantined, except to unlock it.
 */
public final class DeviceCommandRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceCommands commands;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public DeviceCommandRoutes(DeviceCommands commands, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.commands = commands;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String prefix = AdminApiRoutes.PREFIX + "devices/{id}/";
        router.add("POST", prefix + "wipe", authenticator.guard((call, p) -> {
            return reply(commands.wipe(p.get("id"), JsonBodies.actor(call), JsonBodies.reason(bodies.object(call))));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "lock", authenticator.guard((call, p) -> {
            return reply(commands.lock(p.get("id"), JsonBodies.actor(call), JsonBodies.reason(bodies.object(call))));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "unlock", authenticator.guard((call, p) -> {
            return reply(commands.unlock(p.get("id"), JsonBodies.actor(call), JsonBodies.reason(bodies.object(call))));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "reflash", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            if (!body.path("target").isTextual()) {
                throw bodies.malformed(call, "a reflash needs 'target': the repository image to install");
            }
            return reply(commands.reflash(p.get("id"), body.get("target").asText(), JsonBodies.actor(call),
                    JsonBodies.reason(body)));
        }), HttpReply::jsonError);
    }

    private static HttpReply reply(DeviceCommand command) {
        ObjectNode node = JSON.createObjectNode().put("device", command.device().value())
                .put("command", command.type().wireName()).put("nonce", command.nonce())
                .put("expires_at", command.expiresAt().toString()).put("state", "sent");
        command.target().ifPresent(t -> node.put("target", t));
        return HttpReply.json(202, node);
    }
}
