package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.palisade.control.service.ModbusRules;
import io.palisade.core.modbus.ModbusRule;

/**
 * The Modbus firewall's rules and address blocks in the REST API: {@code GET /api/v1/modbus/rules}, {@code PUT /api/v1/modbus/rules/{name}}
 * (a rule, see {@link ModbusRule}), {@code DELETE /api/v1/modbus/rules/{name}}. Changes need the administer
 * permission and apply to connected clients' next request.
 */
public final class ModbusRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ModbusRules rules;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    private final java.util.function.Supplier<io.palisade.core.modbus.AddressBlocks> blocks;
    private final io.palisade.control.service.Events events;

    /**
     * @param blocks the running Modbus listeners' address blocks ({@code AddressBlocks.NONE} until a firewall runs):
     *               {@code GET /api/v1/modbus/blocks}, {@code POST /api/v1/modbus/blocks/{address}/unblock}
     */
    public ModbusRoutes(ModbusRules rules, java.util.function.Supplier<io.palisade.core.modbus.AddressBlocks> blocks,
                        io.palisade.control.service.Events events, AdminAuthenticator authenticator,
                        JsonBodies bodies) {
        this.blocks = blocks;
        this.events = events;
        this.rules = rules;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String base = AdminApiRoutes.PREFIX + "modbus/rules";
        router.add("GET", base, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            rules.list().forEach(rule -> list.add(rule.toJson()));
            return HttpReply.json(200, JSON.createObjectNode().set("rules", list));
        }), HttpReply::jsonError);
        router.add("PUT", base + "/{name}", authenticator.guard((call, p) -> {
            ModbusRule rule;
            try {
                rule = ModbusRule.fromJson(p.get("name"), bodies.object(call));
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, "bad Modbus rule: " + e.getMessage());
            }
            return HttpReply.json(200, rules.put(rule, JsonBodies.actor(call)).toJson());
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/{name}", authenticator.guard((call, p) -> {
            rules.delete(p.get("name"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("deleted", true));
        }), HttpReply::jsonError);
        String blocked = AdminApiRoutes.PREFIX + "modbus/blocks";
        router.add("GET", blocked, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            blocks.get().current().forEach((address, until) -> list.addObject().put("address", address)
                    .put("until", until.toString()));
            return HttpReply.json(200, JSON.createObjectNode().set("blocks", list));
        }), HttpReply::jsonError);
        router.add("POST", blocked + "/{id}/unblock", authenticator.guard((call, p) -> {
            String address = p.get("id");
            java.time.Instant until = blocks.get().current().get(address);
            if (until == null || !blocks.get().unblock(address)) {
                throw new io.palisade.control.service.Refusal(io.palisade.control.service.Refusal.Kind.NOT_FOUND,
                        "the Modbus firewall does not block " + address);
            }
            events.change(JsonBodies.actor(call), "modbus-block", address, "blocked until " + until, "none");
            return HttpReply.json(200, JSON.createObjectNode().put("address", address).put("unblocked", true));
        }), HttpReply::jsonError);
    }
}
