package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.control.service.IntegrityReports;
import io.palisade.core.event.EventJson;
import java.util.Optional;

/**
 * File integrity reports from hosts (the gateway host's own {@code palisade fim watch --report}):
 * {@code POST /api/v1/integrity} with a change ({@code kind}, {@code path}, ...) and the reporting
 * {@code host}; answers with the recorded {@code file.modified} event.
 */
public final class IntegrityRoutes {

    private final IntegrityReports reports;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;

    public IntegrityRoutes(IntegrityReports reports, AdminAuthenticator authenticator, JsonBodies bodies) {
        this.reports = reports;
        this.authenticator = authenticator;
        this.bodies = bodies;
    }

    public void register(Router router) {
        router.add("POST", AdminApiRoutes.PREFIX + "integrity", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            String host = body.path("host").asText("").replaceAll("[^A-Za-z0-9._:-]", "");
            try {
                return HttpReply.json(201, EventJson.toJson(reports.record(Optional.empty(),
                        "host " + (host.isEmpty() ? call.remoteAddress() : host), body)));
            } catch (IllegalArgumentException e) {
                throw bodies.malformed(call, e.getMessage());
            }
        }), HttpReply::jsonError);
    }
}
