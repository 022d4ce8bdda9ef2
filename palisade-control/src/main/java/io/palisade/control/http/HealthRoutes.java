package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.event.SpoolingEventWriter;
import java.time.format.DateTimeFormatter;

/**
 * {@code GET /api/v1/health}, unauthenticated so that load balancers and monitors can poll it: {@code ok},
 * or {@code degraded} while the event store refuses writes, with since when and how many events wait in
 * the spool. The database's own error is not shown here (it can name hosts); the log has it.
 */
public final class HealthRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SpoolingEventWriter events;

    public HealthRoutes(SpoolingEventWriter events) {
        this.events = events;
    }

    public void register(Router router) {
        router.add("GET", AdminApiRoutes.PREFIX + "health", (call, p) -> HttpReply.json(200, health()),
                HttpReply::jsonError);
    }

    ObjectNode health() {
        ObjectNode node = JSON.createObjectNode();
        var outage = events.outage();
        node.put("status", outage.isPresent() ? "degraded" : "ok");
        ObjectNode store = node.putObject("event_store");
        store.put("state", outage.isPresent() ? "unavailable" : "ok");
        outage.ifPresent(o -> store.put("since", DateTimeFormatter.ISO_INSTANT.format(o.since())));
        store.put("spooled", events.spooled());
        store.put("lost", events.lost());
        return node;
    }
}
