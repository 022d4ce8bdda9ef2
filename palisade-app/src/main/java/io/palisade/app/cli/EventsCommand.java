package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.client.ApiClient;
import io.palisade.control.siem.EventFormat;
import io.palisade.control.siem.EventFormatter;
import io.palisade.control.siem.Origin;
import io.palisade.core.event.EventJson;
import java.io.PrintWriter;
import java.time.Duration;
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

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "One record per line as a SIEM reads it: cef, leef (2.0, tab-delimited), ocsf (1.3 JSON),"
                    + " rfc5424 (syslog) or json; the same text a SIEM destination gets.")
    String format;

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
        EventFormatter formatter = formatter();
        ApiClient api = connection.apiClient();
        PrintWriter out = spec.commandLine().getOut();
        long last = after;
        boolean headed = json || formatter != null;
        Duration retry = FIRST_RETRY;
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
                JsonNode events;
                try {
                    events = api.get("events", query).path("events");
                    retry = FIRST_RETRY;
                } catch (CliFailure unreachable) {
                    if (!follow || unreachable.exitCode() != CliFailure.UNAVAILABLE) {
                        throw unreachable;
                    }
                    // The server restarts or the network blips: keep following, saying so once per attempt.
                    spec.commandLine().getErr().println("palisade: " + unreachable.getMessage() + "; retrying in "
                            + retry.toSeconds() + " s");
                    sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                    received = PAGE;
                    continue;
                }
                received = events.size();
                if (!headed && received > 0) {
                    out.println(Output.eventHeader());
                    headed = true;
                }
                for (JsonNode event : events) {
                    if (formatter != null) {
                        out.println(formatter.format(EventJson.fromJson(event)));
                    } else if (json) {
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
            if (!sleep(Duration.ofMillis(FOLLOW_POLL_MILLIS))) {
                return;
            }
        }
    }

    /** The --format's formatter (host name: this host's, as for a destination configured here), or null. */
    private EventFormatter formatter() {
        if (format == null) {
            return null;
        }
        if (json) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json and --format exclude each other (--format json is --json)");
        }
        try {
            return EventFormat.parse(format).formatter(Origin.local());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
