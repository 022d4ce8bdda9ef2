package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade segment ...}: quarantine or release every device of a segment at once. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Quarantine a whole segment: its devices may then only use quarantine/{id}/#.")
public final class SegmentCommand extends CommandGroup {

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
        @Mixin
        ReasonOption reason;

        abstract String action();

        @Override
        public void run() {
            print(connection.apiClient().post("segments/" + name + "/" + action(), reason.body()));
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
