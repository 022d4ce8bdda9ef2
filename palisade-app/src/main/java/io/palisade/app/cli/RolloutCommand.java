package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade rollout ...}: staged firmware roll-outs over the fleet. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Roll a published firmware image out to devices in waves, with success and error thresholds.")
public final class RolloutCommand extends CommandGroup {

    abstract static class RolloutBase extends ApiCommand {
        void printSummary(JsonNode rollout) {
            if (json) {
                Output.json(out(), rollout);
                return;
            }
            JsonNode counts = rollout.path("counts");
            out().printf("%s  %s  %s  wave %d of %d  installed %d, failed %d, not reached %d, in progress %d,"
                            + " pending %d%s%s%n",
                    rollout.path("id").asText(), rollout.path("spec").path("target").asText(),
                    rollout.path("state").asText(), rollout.path("wave").asInt(), rollout.path("waves").asInt(),
                    counts.path("installed").asInt(), counts.path("failed").asInt(), counts.path("unreached").asInt(),
                    counts.path("notified").asInt() + counts.path("downloading").asInt() + counts.path("staged").asInt(),
                    counts.path("pending").asInt(),
                    rollout.hasNonNull("wave_deadline_at") ? "  wave deadline " + rollout.path("wave_deadline_at").asText() : "",
                    rollout.path("reason").asText().isEmpty() ? "" : "  (" + rollout.path("reason").asText() + ")");
            out().flush();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Start a roll-out of TARGET (a published repository target, e.g. firmware/sensor-1.1.0.img).")
    static final class Create extends RolloutBase {
        @Parameters(paramLabel = "TARGET")
        String target;

        @Option(names = "--profile", paramLabel = "P", description = "Only devices of this profile (repeatable).")
        List<String> profiles = new ArrayList<>();

        @Option(names = "--segment", paramLabel = "S", description = "Only devices of this segment (repeatable).")
        List<String> segments = new ArrayList<>();

        @Option(names = "--tag", paramLabel = "TAG", description = "Only devices carrying this tag (repeatable: all of them).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--include-quarantined",
                description = "Also offer the update to quarantined devices (left out by default).")
        boolean includeQuarantined;

        @Option(names = "--waves", paramLabel = "LIST", split = ",", defaultValue = "100%",
                description = "Cumulative wave sizes, counts or percentages (default: ${DEFAULT-VALUE}), e.g. 1,10%%,100%%.")
        List<String> waves;

        @Option(names = "--success-threshold", paramLabel = "FRACTION", defaultValue = "0.9",
                description = "Share of a wave that must install before the next wave starts (default: ${DEFAULT-VALUE}).")
        double successThreshold;

        @Option(names = "--error-threshold", paramLabel = "FRACTION", defaultValue = "0.1",
                description = "Share of failures among devices offered the update that halts the roll-out"
                        + " (default: ${DEFAULT-VALUE}).")
        double errorThreshold;

        @Option(names = "--manual-approval", description = "Wait for `rollout approve` before each next wave.")
        boolean manualApproval;

        @Option(names = "--seen-within", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
                description = "Only devices seen within this long: a session through the gateway, or a certificate"
                        + " issued on enrollment or renewal (default: ${DEFAULT-VALUE}).")
        java.time.Duration seenWithin;

        @Option(names = "--include-unseen", description = "Also devices not seen within --seen-within.")
        boolean includeUnseen;

        @Option(names = "--wave-deadline", paramLabel = "DURATION", defaultValue = "24h",
                converter = DurationConverter.class,
                description = "How long each wave's devices have to install (e.g. 30m, 24h, 7d; default:"
                        + " ${DEFAULT-VALUE}). Devices that have not are then counted as not reached, with the"
                        + " reason, and the wave is judged without them.")
        java.time.Duration waveDeadline;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("target", target);
            profiles.forEach(body.putArray("profiles")::add);
            segments.forEach(body.putArray("segments")::add);
            tags.forEach(body.putArray("tags")::add);
            body.put("include_quarantined", includeQuarantined);
            waves.forEach(body.putArray("waves")::add);
            body.put("success_threshold", successThreshold).put("error_threshold", errorThreshold)
                    .put("auto_advance", !manualApproval).put("wave_deadline_seconds", waveDeadline.toSeconds())
                    .put("seen_within_seconds", includeUnseen ? 0 : seenWithin.toSeconds());
            printSummary(connection.apiClient().post("rollouts", body));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List roll-outs, newest first.")
    static final class ListRollouts extends RolloutBase {
        @Override
        public void run() {
            JsonNode list = connection.apiClient().get("rollouts", Map.of());
            if (json) {
                Output.json(out(), list);
                return;
            }
            for (JsonNode rollout : list.path("rollouts")) {
                printSummary(rollout);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show a roll-out and the state of each of its devices.")
    static final class Status extends RolloutBase {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode rollout = connection.apiClient().get("rollouts/" + id, Map.of());
            printSummary(rollout);
            if (!json) {
                out().printf("%-32s %4s  %-11s %-24s %s%n", "DEVICE", "WAVE", "STATE", "SINCE", "DETAIL");
                for (JsonNode device : rollout.path("devices")) {
                    out().printf("%-32s %4d  %-11s %-24s %s%n", device.path("device").asText(),
                            device.path("wave").asInt(), device.path("state").asText(),
                            device.path("updated_at").asText(), device.path("detail").asText());
                }
                out().flush();
            }
        }
    }

    abstract static class Action extends RolloutBase {
        @Parameters(paramLabel = "ID")
        String id;

        abstract String action();

        JsonNode body() {
            return ApiClient.object();
        }

        @Override
        public void run() {
            printSummary(connection.apiClient().post("rollouts/" + id + "/" + action(), body()));
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Start the next wave now.")
    static final class Approve extends Action {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Start no new wave until resumed.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused roll-out.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel: withdraw the offer from devices that have not finished.")
    static final class Cancel extends Action {
        @Mixin
        ReasonOption reason;

        @Override
        String action() {
            return "cancel";
        }

        @Override
        JsonNode body() {
            return reason.body();
        }
    }
}
