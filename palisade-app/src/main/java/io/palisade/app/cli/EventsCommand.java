package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.client.ApiClient;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code palisade events}: the stored security events, optionally followed as they arrive. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Show security events, oldest first.")
final class EventsCommand implements Runnable {

    private static final int PAGE = 500;
    private static final long FOLLOW_POLL_MILLIS = 1000;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they arrive.")
    boolean follow;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only this type, e.g. auth.failed.")
    String type;

    @Option(names = "--device", paramLabel = "ID", description = "Only events about this device.")
    String device;

    @Option(names = "--after", paramLabel = "N", defaultValue = "0", description = "Only events with an id above N.")
    long after;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ApiClient api = connection.apiClient();
        PrintWriter out = spec.commandLine().getOut();
        long last = after;
        while (true) {
            int received;
            do {
                Map<String, String> query = new HashMap<>();
                query.put("after", Long.toString(last));
                query.put("limit", Integer.toString(PAGE));
                if (type != null) {
                    query.put("type", type);
                }
                if (device != null) {
                    query.put("device", device);
                }
                JsonNode events = api.get("events", query).path("events");
                received = events.size();
                for (JsonNode event : events) {
                    if (json) {
                        Output.jsonLine(out, event);
                    } else {
                        out.println(Output.eventLine(event));
                    }
                    last = event.path("id").asLong(last);
                }
                out.flush();
            } while (received == PAGE);
            if (!follow) {
                return;
            }
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
