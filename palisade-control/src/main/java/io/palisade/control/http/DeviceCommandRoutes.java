package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.DeviceCommands;
import io.palisade.control.service.Refusal;
import io.palisade.pki.command.DeviceCommand;
import java.io.IOException;
import java.util.Optional;

/**
 * Remote wipe and reflash in the REST API: {@code POST /api/v1/devices/{id}/wipe} and
 * {@code POST /api/v1/devices/{id}/reflash} with {@code {"target": "firmware/x.img"}}; both take an
 * optional {@code "reason"}. The device must be quarantined.
 */
public final class DeviceCommandRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceCommands commands;
    private final AdminAuthenticator authenticator;

    public DeviceCommandRoutes(DeviceCommands commands, AdminAuthenticator authenticator) {
        this.commands = commands;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        String prefix = AdminApiRoutes.PREFIX + "devices/{id}/";
        router.add("POST", prefix + "wipe", authenticator.guard((call, p) -> {
            JsonNode body = body(call);
            return reply(commands.wipe(p.get("id"), "admin@" + call.remoteAddress(), reason(body)));
        }), HttpReply::jsonError);
        router.add("POST", prefix + "reflash", authenticator.guard((call, p) -> {
            JsonNode body = body(call);
            if (!body.path("target").isTextual()) {
                throw new Refusal(Refusal.Kind.MALFORMED, "a reflash needs 'target': the repository image to install");
            }
            return reply(commands.reflash(p.get("id"), body.get("target").asText(), "admin@" + call.remoteAddress(),
                    reason(body)));
        }), HttpReply::jsonError);
    }

    private static HttpReply reply(DeviceCommand command) {
        ObjectNode node = JSON.createObjectNode().put("device", command.device().value())
                .put("command", command.type().wireName()).put("nonce", command.nonce())
                .put("expires_at", command.expiresAt().toString()).put("state", "sent");
        command.target().ifPresent(t -> node.put("target", t));
        return HttpReply.json(202, node);
    }

    private static JsonNode body(HttpCall call) throws Refusal {
        if (call.body().length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(call.body());
            if (node == null || !node.isObject()) {
                throw new Refusal(Refusal.Kind.MALFORMED, "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the request body is not valid JSON");
        }
    }

    private static Optional<String> reason(JsonNode body) {
        return body.hasNonNull("reason") ? Optional.of(body.get("reason").asText()) : Optional.empty();
    }
}
