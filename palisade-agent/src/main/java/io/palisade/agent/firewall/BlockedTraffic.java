package io.palisade.agent.firewall;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One report window of blocked traffic: how many packets each direction's counter dropped since the last report,
 * and the first few packets the kernel logged, as {@code {"from","to","blocked_in","blocked_out","samples":[...]}}.
 * Samples are kept to {@value #MAX_SAMPLES} per window: a port scan is one report, not thousands.
 */
public final class BlockedTraffic {

    static final int MAX_SAMPLES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> samples = new ArrayList<>();
    private int sampled;

    /** Adds a logged packet ({@code direction} is the rule's prefix, in or out). */
    public synchronized void sample(String direction, PacketSummary packet) {
        sampled++;
        if (samples.size() < MAX_SAMPLES) {
            samples.add(JSON.createObjectNode().put("direction", direction).put("protocol", packet.protocol())
                    .put("source", packet.source()).put("source_port", packet.sourcePort())
                    .put("destination", packet.destination()).put("destination_port", packet.destinationPort()));
        }
    }

    /**
     * The report for the window ending now, given how many packets each counter dropped in it, or null when nothing
     * was blocked; starts the next window.
     */
    public synchronized ObjectNode close(Instant from, Instant to, Map<String, Long> dropped) {
        long in = dropped.getOrDefault("blocked_in", 0L);
        long out = dropped.getOrDefault("blocked_out", 0L);
        if (in == 0 && out == 0 && samples.isEmpty()) {
            return null;
        }
        ObjectNode report = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString())
                .put("blocked_in", in).put("blocked_out", out).put("sampled", sampled);
        ArrayNode list = report.putArray("samples");
        samples.forEach(list::add);
        samples.clear();
        sampled = 0;
        return report;
    }
}
