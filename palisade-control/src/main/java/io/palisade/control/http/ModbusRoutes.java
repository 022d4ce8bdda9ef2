package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.palisade.control.service.ModbusRules;
import io.palisade.core.modbus.ModbusRule;

/**
 * The Modbus firewall's rules in the REST API: {@code GET /api/v1/modbus/rules}, {@code PUT /api/v1/modbus/rules/{name}}
 * (a rule, see {@link ModbusRule}), {@code DELETE /api/v1/modbus/rules/{name}}. Changes need the administer
 * permission and apply to connected clients' next request.
 */
public final class ModbusRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ModbusRules rules;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public ModbusRoutes(ModbusRules rules, AdminAuthenticator authenticator, JsonBodies bodies) {
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
    }
}
