package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.palisade.control.service.OverlayService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The isolation overlay in the REST API: {@code GET /api/v1/overlay/grants} (active ones; {@code ?all=true} also
 * expired and revoked), {@code POST /api/v1/overlay/grants} ({@code subject}, {@code device}, {@code port},
 * {@code ttl_seconds}, {@code reason}), {@code POST /api/v1/overlay/grants/{id}/revoke} (cuts its open tunnels),
 * {@code GET /api/v1/overlay/hosts}, {@code PUT /api/v1/overlay/hosts/{device}} ({@code address},
 * {@code modbus_ports}), {@code DELETE /api/v1/overlay/hosts/{device}}. Revoking is incident handling (operate);
 * granting and hosts need administer. {@code POST /api/v1/overlay/certificate} ({@code csr}) gives the calling
 * operator, whatever their role, a one-hour tunnel certificate: the grants decide what it reaches.
 */
public final class OverlayRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OverlayService overlay;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public OverlayRoutes(OverlayService overlay, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.overlay = overlay;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String grants = AdminApiRoutes.PREFIX + "overlay/grants";
        router.add("GET", grants, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            boolean all = call.queryParameter("all").map(Boolean::parseBoolean).orElse(false);
            overlay.grants(all).forEach(grant -> list.add(OverlayService.toJson(grant)));
            return HttpReply.json(200, JSON.createObjectNode().set("grants", list));
        }), HttpReply::jsonError);
        router.add("POST", grants, authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            for (String field : List.of("subject", "device", "port", "ttl_seconds", "reason")) {
                if (!body.hasNonNull(field)) {
                    throw bodies.malformed(call, "a grant needs '" + field + "'");
                }
            }
            if (!body.get("port").canConvertToInt() || !body.get("ttl_seconds").canConvertToLong()) {
                throw bodies.malformed(call, "'port' and 'ttl_seconds' are whole numbers");
            }
            return HttpReply.json(201, OverlayService.toJson(overlay.grant(body.get("subject").asText(),
                    body.get("device").asText(), body.get("port").asInt(),
                    Duration.ofSeconds(body.get("ttl_seconds").asLong()), body.get("reason").asText(),
                    JsonBodies.actor(call))));
        }), HttpReply::jsonError);
        router.add("POST", grants + "/{id}/revoke", authenticator.guard((call, p) ->
                HttpReply.json(200, OverlayService.toJson(overlay.revoke(p.get("id"), JsonBodies.actor(call))))),
                HttpReply::jsonError);

        router.add("POST", AdminApiRoutes.PREFIX + "overlay/certificate", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            if (!body.hasNonNull("csr")) {
                throw bodies.malformed(call, "send the certificate request as 'csr' (PEM PKCS#10)");
            }
            List<java.security.cert.X509Certificate> chain = overlay.operatorCertificate(call.operatorName(),
                    body.get("csr").asText().getBytes(java.nio.charset.StandardCharsets.US_ASCII), call.remoteAddress());
            return HttpReply.json(200, JSON.createObjectNode()
                    .put("certificate", io.palisade.pki.Pem.encodeCertificates(chain))
                    .put("expires", chain.get(0).getNotAfter().toInstant().toString()));
        }), HttpReply::jsonError);

        String hosts = AdminApiRoutes.PREFIX + "overlay/hosts";
        router.add("GET", hosts, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            overlay.hosts().forEach(host -> list.add(OverlayService.toJson(host)));
            return HttpReply.json(200, JSON.createObjectNode().set("hosts", list));
        }), HttpReply::jsonError);
        router.add("PUT", hosts + "/{id}", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            if (!body.hasNonNull("address")) {
                throw bodies.malformed(call, "a host needs an 'address'");
            }
            List<Integer> ports = new ArrayList<>();
            if (body.has("modbus_ports")) {
                for (JsonNode port : body.get("modbus_ports")) {
                    if (!port.canConvertToInt()) {
                        throw bodies.malformed(call, "'modbus_ports' is a list of port numbers");
                    }
                    ports.add(port.asInt());
                }
            } else {
                ports.addAll(io.palisade.core.overlay.OverlayHost.DEFAULT_MODBUS_PORTS);
            }
            return HttpReply.json(200, OverlayService.toJson(overlay.putHost(p.get("id"),
                    body.get("address").asText(), ports, JsonBodies.actor(call))));
        }), HttpReply::jsonError);
        router.add("DELETE", hosts + "/{id}", authenticator.guard((call, p) -> {
            overlay.deleteHost(p.get("id"), JsonBodies.actor(call));
            return HttpReply.json(200, JSON.createObjectNode().put("device", p.get("id")).put("deleted", true));
        }), HttpReply::jsonError);
    }
}
