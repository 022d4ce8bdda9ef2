package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade segment ...}: quarantine or release every device of a segment at once. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Quarantine a whole segment: its devices may then only use quarantine/{id}/#.",
        subcommands = {SegmentCommand.Quarantine.class, SegmentCommand.Release.class, SegmentCommand.Show.class})
public final class SegmentCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a segment command, e.g. `segment show S`");
    }

    abstract static class SegmentBase implements Runnable {
        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "SEGMENT")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        void print(JsonNode segment) {
            if (json) {
                Output.json(spec.commandLine().getOut(), segment);
            } else {
                spec.commandLine().getOut().println("segment " + segment.path("name").asText() + ": "
                        + (segment.path("quarantined").asBoolean() ? "quarantined" : "not quarantined"));
                spec.commandLine().getOut().flush();
            }
        }
    }

    abstract static class Change extends SegmentBase {
        @Option(names = "--reason", description = "Why; recorded in the event.")
        String reason;

        abstract String action();

        @Override
        public void run() {
            ObjectNode body = ApiClient.object();
            if (reason != null) {
                body.put("reason", reason);
            }
            print(connection.apiClient().post("segments/" + name + "/" + action(), body));
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true, description = "Quarantine every device of a segment.")
    static final class Quarantine extends Change {
        @Override
        String action() {
            return "quarantine";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a segment from quarantine.")
    static final class Release extends Change {
        @Override
        String action() {
            return "release";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show whether a segment is quarantined.")
    static final class Show extends SegmentBase {
        @Override
        public void run() {
            print(connection.apiClient().get("segments/" + name, Map.of()));
        }
    }
}
