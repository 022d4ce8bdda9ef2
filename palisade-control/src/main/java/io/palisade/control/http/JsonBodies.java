package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the JSON object bodies of the admin API the same way on every route: an empty body is an
 * empty object; an oversized body, invalid JSON or a non-object is refused with the reason and recorded
 * as an {@code admin.request_refused} event (every route is behind the admin token: an operator's mistake).
 */
public final class JsonBodies {

    /** Admin requests are small objects; the HTTPS server's own limit (64 KiB) is for CSRs and the like. */
    public static final int MAX_JSON_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events;

    public JsonBodies(Events events) {
        this.events = events;
    }

    public JsonNode object(HttpCall call) throws Refusal {
        if (call.body().length == 0) {
            return JSON.createObjectNode();
        }
        if (call.body().length > MAX_JSON_BYTES) {
            throw malformed(call, "the JSON body is larger than " + MAX_JSON_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(call.body());
            if (node == null || !node.isObject()) {
                throw malformed(call, "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw malformed(call, "the request body is not valid JSON");
        }
    }

    /**
     * A refusal of a body whose content is wrong (bad JSON, a bad field). Bodies are read only behind the
     * admin token, so this is an operator's mistake: an {@code admin.request_refused} event, which neither
     * counts towards the address's failure limit nor feeds detection as protocol abuse.
     */
    public Refusal malformed(HttpCall call, String message) {
        return events.refuse(Refusal.Kind.MALFORMED, EventType.ADMIN_REQUEST_REFUSED, Severity.INFO, null,
                call.remoteAddress(), message + " (" + call.method() + " " + call.path() + ")");
    }

    /** The optional {@code "reason"} an operator gives for a change, recorded in its event. */
    public static Optional<String> reason(JsonNode body) {
        return body.hasNonNull("reason") ? Optional.of(body.get("reason").asText()) : Optional.empty();
    }

    /** Who made an admin request, for logs and events. */
    public static String actor(HttpCall call) {
        return call.actor().isEmpty() ? "admin@" + call.remoteAddress() : call.actor();
    }
}
