package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.ClusterSync;
import io.palisade.core.cluster.StateChannel;
import io.palisade.core.event.SpoolingEventWriter;
import java.time.format.DateTimeFormatter;

/**
 * {@code GET /api/v1/health}, unauthenticated so that load balancers and monitors can poll it: {@code ok},
 * or {@code degraded} while the event store refuses writes (with since when and how many events wait in
 * the spool) or, for one of several instances, while the bus to the others cannot be reached. The database's own error is not shown here (it can name hosts); the log has it.
 */
public final class HealthRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SpoolingEventWriter events;
    private final ClusterSync cluster;

    public HealthRoutes(SpoolingEventWriter events, ClusterSync cluster) {
        this.events = events;
        this.cluster = cluster;
    }

    public void register(Router router) {
        router.add("GET", AdminApiRoutes.PREFIX + "health", (call, p) -> HttpReply.json(200, health()),
                HttpReply::jsonError);
    }

    ObjectNode health() {
        ObjectNode node = JSON.createObjectNode();
        var outage = events.outage();
        StateChannel.Health bus = cluster.health();
        node.put("status", outage.isPresent() || bus.degraded() ? "degraded" : "ok");
        ObjectNode store = node.putObject("event_store");
        store.put("state", outage.isPresent() ? "unavailable" : "ok");
        outage.ifPresent(o -> store.put("since", DateTimeFormatter.ISO_INSTANT.format(o.since())));
        store.put("spooled", events.spooled());
        store.put("lost", events.lost());
        // Several instances: whether this one hears the others (degraded = serving with what it last knew).
        ObjectNode busNode = node.putObject("bus");
        busNode.put("state", bus.state());
        busNode.put("instance", cluster.instance());
        bus.since().ifPresent(since -> busNode.put("since", DateTimeFormatter.ISO_INSTANT.format(since)));
        bus.lastContact().ifPresent(at -> busNode.put("last_contact", DateTimeFormatter.ISO_INSTANT.format(at)));
        busNode.put("unsent", bus.unsent());
        if (cluster.clustered()) { // who exports to SIEMs, handles device reports and keeps the audit chain
            busNode.put("duties", cluster.duty().held() ? "held" : "standby");
        }
        return node;
    }
}
