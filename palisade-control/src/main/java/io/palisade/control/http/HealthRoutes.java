package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.ClusterSync;
import io.palisade.core.cluster.SharedEventLog;
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
    private final java.util.Optional<SharedEventLog> sharedEvents;

    /**
     * @param events       the instance's event writer: into the store, or with {@code sharedEvents} into that log
     * @param sharedEvents the event log shared by several instances, from which this one drains into the store
     */
    public HealthRoutes(SpoolingEventWriter events, ClusterSync cluster, java.util.Optional<SharedEventLog> sharedEvents) {
        this.events = events;
        this.cluster = cluster;
        this.sharedEvents = sharedEvents;
    }

    public void register(Router router) {
        router.add("GET", AdminApiRoutes.PREFIX + "health", (call, p) -> HttpReply.json(200, health()),
                HttpReply::jsonError);
    }

    ObjectNode health() {
        ObjectNode node = JSON.createObjectNode();
        var outage = events.outage(); // the store's, or with a shared log the bus's for events
        StateChannel.Health bus = cluster.health();
        java.util.Optional<java.time.Instant> storeRefusing = sharedEvents.isPresent()
                ? sharedEvents.get().storeRefusingSince() : outage.map(SpoolingEventWriter.Outage::since);
        boolean busDegraded = bus.degraded() || sharedEvents.isPresent() && outage.isPresent();
        node.put("status", storeRefusing.isPresent() || busDegraded ? "degraded" : "ok");
        ObjectNode store = node.putObject("event_store");
        store.put("state", storeRefusing.isPresent() ? "unavailable" : "ok");
        storeRefusing.ifPresent(since -> store.put("since", DateTimeFormatter.ISO_INSTANT.format(since)));
        if (sharedEvents.isEmpty()) {
            store.put("spooled", events.spooled());
            store.put("lost", events.lost());
        } else { // events wait in the bus while the store is away: how many of this instance's share
            store.put("waiting", sharedEvents.get().waiting());
        }
        // Several instances: whether this one hears the others (degraded = serving with what it last knew).
        ObjectNode busNode = node.putObject("bus");
        busNode.put("state", busDegraded ? "degraded" : bus.state());
        busNode.put("instance", cluster.instance());
        bus.since().ifPresent(since -> busNode.put("since", DateTimeFormatter.ISO_INSTANT.format(since)));
        bus.lastContact().ifPresent(at -> busNode.put("last_contact", DateTimeFormatter.ISO_INSTANT.format(at)));
        busNode.put("unsent", bus.unsent());
        if (sharedEvents.isPresent()) { // this instance's events kept on disk while the bus cannot take them
            outage.ifPresent(o -> busNode.put("events_since", DateTimeFormatter.ISO_INSTANT.format(o.since())));
            busNode.put("events_spooled", events.spooled());
            busNode.put("events_lost", events.lost());
        }
        if (cluster.clustered()) { // who exports to SIEMs, handles device reports and keeps the audit chain
            busNode.put("duties", cluster.duty().held() ? "held" : "standby");
        }
        return node;
    }
}
