package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.Refusal;
import io.palisade.control.siem.NewDestination;
import io.palisade.control.siem.SiemForwarder;
import io.palisade.control.siem.SiemService;
import io.palisade.core.event.EventType;
import io.palisade.core.siem.SiemDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SIEM destinations in the REST API: {@code GET /api/v1/siem} (each with its delivery state and backlog),
 * {@code POST /api/v1/siem} (a {@link NewDestination} as JSON: {@code name}, {@code url}, {@code format},
 * {@code min_severity}, {@code types}, {@code ca_pem}, {@code cert_pem}, {@code key_pem}, {@code from_start}),
 * {@code DELETE /api/v1/siem/{name}}, {@code POST /api/v1/siem/{name}/test}.
 */
public final class SiemRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SiemService siem;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public SiemRoutes(SiemService siem, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.siem = siem;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String base = AdminApiRoutes.PREFIX + "siem";
        router.add("GET", base, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            siem.list().forEach(status -> list.add(status(status)));
            return HttpReply.json(200, JSON.createObjectNode().set("destinations", list));
        }), HttpReply::jsonError);
        router.add("POST", base, authenticator.guard((call, p) -> {
            NewDestination request = request(bodies.object(call), call);
            SiemService.Added added;
            try {
                added = siem.add(request, JsonBodies.actor(call));
            } catch (Refusal refusal) {
                if (refusal.kind() == Refusal.Kind.MALFORMED) {
                    throw bodies.malformed(call, refusal.getMessage());
                }
                throw refusal;
            }
            ObjectNode reply = destination(added.destination());
            added.signingKey().ifPresent(key -> reply.put("signing_key", key));
            return HttpReply.json(201, reply);
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/{name}", authenticator.guard((call, p) -> {
            siem.remove(p.get("name"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("removed", true));
        }), HttpReply::jsonError);
        router.add("POST", base + "/{name}/test", authenticator.guard((call, p) -> {
            SiemService.TestResult result = siem.test(p.get("name"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name"))
                    .put("delivered", result.delivered()).put("detail", result.detail()));
        }), HttpReply::jsonError);
    }

    private NewDestination request(JsonNode body, HttpCall call) throws Refusal {
        List<String> types = new ArrayList<>();
        JsonNode typeList = body.path("types");
        if (!typeList.isMissingNode() && !typeList.isNull()) {
            if (!typeList.isArray()) {
                throw bodies.malformed(call, "'types' must be a list of event types");
            }
            typeList.forEach(type -> types.add(type.asText()));
        }
        return new NewDestination(body.path("name").asText(""), body.path("url").asText(""),
                body.path("format").asText(""), text(body, "min_severity"), types, text(body, "ca_pem"),
                text(body, "cert_pem"), text(body, "key_pem"), body.path("from_start").asBoolean(false));
    }

    private static Optional<String> text(JsonNode body, String field) {
        return body.hasNonNull(field) && !body.get(field).asText().isEmpty()
                ? Optional.of(body.get(field).asText()) : Optional.empty();
    }

    private static ObjectNode destination(SiemDestination destination) {
        ObjectNode node = JSON.createObjectNode().put("name", destination.name()).put("url", destination.url())
                .put("format", destination.format()).put("min_severity", destination.minSeverity().wireName());
        ArrayNode types = node.putArray("types");
        destination.types().stream().map(EventType::wireName).sorted().forEach(types::add);
        node.put("tls_ca", destination.caPem().isPresent() ? "given" : "system")
                .put("client_certificate", destination.certPem().isPresent())
                .put("created", destination.created().toString());
        return node;
    }

    private static ObjectNode status(SiemForwarder.Status status) {
        ObjectNode node = destination(status.destination());
        node.put("state", status.failing() ? "failing" : "delivering").put("cursor", status.cursor())
                .put("backlog", status.backlog()).put("unconfirmed", status.unconfirmed()).put("sent", status.sent())
                .put("failures", status.failures());
        if (!status.lastError().isEmpty()) {
            node.put("last_error", status.lastError());
        }
        status.failingSince().ifPresent(t -> node.put("failing_since", t.toString()));
        status.lastDelivery().ifPresent(t -> node.put("last_delivery", t.toString()));
        status.nextAttempt().ifPresent(t -> node.put("next_attempt", t.toString()));
        return node;
    }
}
