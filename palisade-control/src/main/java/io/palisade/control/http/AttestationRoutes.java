package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.AttestationService;
import io.palisade.control.service.Refusal;
import io.palisade.store.SqlAttestationStore;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * TPM attestation in the REST API: {@code PUT|GET|DELETE /api/v1/attestation/profiles/{profile}} (body
 * {@code {"pcrs": {"9": [HEX, ...]}, "source": "..."}}: the values each PCR may hold) and
 * {@code POST /api/v1/devices/{id}/attest} (challenge a device now; the outcome is an attestation event).
 */
public final class AttestationRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AttestationService attestation;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public AttestationRoutes(AttestationService attestation, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.attestation = attestation;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        String profiles = AdminApiRoutes.PREFIX + "attestation/profiles/{profile}";
        router.add("PUT", profiles, authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            Map<Integer, List<byte[]>> pcrs = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("pcrs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> pcr = it.next();
                try {
                    List<byte[]> values = new ArrayList<>();
                    for (JsonNode value : pcr.getValue().isArray() ? pcr.getValue() : List.of(pcr.getValue())) {
                        values.add(HexFormat.of().parseHex(value.asText()));
                    }
                    pcrs.put(Integer.parseInt(pcr.getKey()), values);
                } catch (IllegalArgumentException e) {
                    throw new Refusal(Refusal.Kind.MALFORMED, "'pcrs' maps PCR numbers to 64 hex digits, or to a list"
                            + " of them");
                }
            }
            attestation.expect(p.get("profile"), pcrs, body.path("source").asText(""));
            return HttpReply.json(200, view(p.get("profile"), attestation.expectation(p.get("profile")).orElseThrow()));
        }), HttpReply::jsonError);
        router.add("GET", profiles, authenticator.guard((call, p) -> HttpReply.json(200, view(p.get("profile"),
                attestation.expectation(p.get("profile")).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND,
                        "profile " + p.get("profile") + " has no expected PCR values"))))), HttpReply::jsonError);
        router.add("DELETE", profiles, authenticator.guard((call, p) -> {
            if (!attestation.clear(p.get("profile"))) {
                throw new Refusal(Refusal.Kind.NOT_FOUND, "profile " + p.get("profile") + " has no expected PCR values");
            }
            return HttpReply.json(200, JSON.createObjectNode().put("profile", p.get("profile")).put("cleared", true));
        }), HttpReply::jsonError);
        router.add("POST", AdminApiRoutes.PREFIX + "devices/{id}/attest", authenticator.guard((call, p) ->
                HttpReply.json(202, JSON.createObjectNode().put("device", p.get("id")).put("deadline",
                        attestation.challenge(p.get("id"), "request of " + JsonBodies.actor(call)).toString())
                        .put("state", "challenged"))), HttpReply::jsonError);
    }

    private static ObjectNode view(String profile, SqlAttestationStore.Expectation expectation) {
        ObjectNode node = JSON.createObjectNode().put("profile", profile).put("source", expectation.source());
        ObjectNode pcrs = node.putObject("pcrs");
        expectation.pcrs().forEach((pcr, values) -> values.forEach(value ->
                pcrs.withArray(Integer.toString(pcr)).add(HexFormat.of().formatHex(value))));
        return node;
    }
}
