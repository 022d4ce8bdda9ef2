package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.Refusal;
import io.palisade.control.service.ZigbeeService;
import io.palisade.core.radio.CaptureIngest;
import io.palisade.core.radio.IngestReport;
import io.palisade.core.secret.SecretBytes;
import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ZigBee network in the REST API: {@code GET /api/v1/zigbee} (keys by kind and name, never their material, and
 * bindings), {@code POST /api/v1/zigbee/keys} ({@code kind} network|mac|link, {@code name}, optional {@code key} in
 * hex; a generated key is answered once), {@code DELETE /api/v1/zigbee/keys/{kind}/{name}},
 * {@code PUT|DELETE /api/v1/zigbee/devices/{ieee}} (body {@code device}), and {@code POST /api/v1/zigbee/captures}: a
 * classic pcap (at most the API's body limit; the CLI sends large files in pieces) verified and forwarded like the live
 * feed, answered with what became of its frames (operate permission: incident handling).
 */
public final class ZigbeeRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ZigbeeService zigbee;
    private final Supplier<Optional<CaptureIngest>> ingest;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public ZigbeeRoutes(ZigbeeService zigbee, Supplier<Optional<CaptureIngest>> ingest,
                        AdminAuthenticator authenticator, JsonBodies bodies) {
        this.zigbee = zigbee;
        this.ingest = ingest;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String base = AdminApiRoutes.PREFIX + "zigbee";
        router.add("GET", base, authenticator.guard((call, p) -> {
            ObjectNode out = JSON.createObjectNode();
            var keys = out.putArray("keys");
            zigbee.keys().forEach(k -> keys.addObject().put("kind", k.kind()).put("name", k.name())
                    .put("created_at", k.createdAt().toString()));
            var devices = out.putArray("devices");
            zigbee.bindings().forEach(b -> devices.addObject().put("ieee", b.ieee()).put("device", b.device().value())
                    .put("created_at", b.createdAt().toString()));
            out.put("security_level", zigbee.keyring().level());
            return HttpReply.json(200, out);
        }), HttpReply::jsonError);
        router.add("POST", base + "/keys", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            String kind = text(body, "kind");
            String name = text(body, "name");
            Optional<String> given = Optional.ofNullable(body.get("key")).map(JsonNode::asText);
            Optional<SecretBytes> generated = zigbee.putKey(kind, name, given, JsonBodies.actor(call));
            ObjectNode out = JSON.createObjectNode().put("kind", kind).put("name", name);
            if (generated.isPresent()) {
                try (SecretBytes key = generated.get()) {
                    byte[] bytes = key.copy();
                    out.put("key", HexFormat.of().formatHex(bytes));
                    SecretBytes.wipe(bytes);
                }
            }
            return HttpReply.json(201, out);
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/keys/{kind}/{id}", authenticator.guard((call, p) -> {
            zigbee.deleteKey(p.get("kind"), p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("deleted", true));
        }), HttpReply::jsonError);
        router.add("PUT", base + "/devices/{id}", authenticator.guard((call, p) -> {
            String address = zigbee.bind(p.get("id"), text(bodies.object(call), "device"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("ieee", address));
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/devices/{id}", authenticator.guard((call, p) -> {
            zigbee.unbind(p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("deleted", true));
        }), HttpReply::jsonError);
        router.add("POST", base + "/captures", authenticator.guard((call, p) -> {
            CaptureIngest running = ingest.get().orElseThrow(() -> new Refusal(Refusal.Kind.CONFLICT,
                    "no ZigBee ingest runs in this process"));
            IngestReport report;
            try {
                report = running.ingest(new ByteArrayInputStream(call.body()), "capture:" + call.remoteAddress());
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, "not a usable capture: " + e.getMessage());
            }
            return HttpReply.json(200, toJson(report));
        }), HttpReply::jsonError);
    }

    public static ObjectNode toJson(IngestReport report) {
        ObjectNode out = JSON.createObjectNode().put("frames", report.frames()).put("forwarded", report.forwarded())
                .put("ignored", report.ignored()).put("refused", report.refused()).put("over_quota",
                        report.overQuota()).put("broker_unavailable", report.brokerUnavailable())
                .put("bad_fcs", report.badFcs());
        ObjectNode findings = out.putObject("findings");
        report.findings().forEach(findings::put);
        return out;
    }

    private static String text(JsonNode body, String field) throws Refusal {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() && !value.isNumber()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + field + "' is required");
        }
        return value.asText();
    }
}
