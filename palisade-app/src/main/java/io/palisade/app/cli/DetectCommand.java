package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import io.palisade.app.sim.LiveEvaluation;
import io.palisade.sim.eval.EvalConfig;
import io.palisade.sim.eval.Evaluation;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade detect ...}: detection rules, alerts and feedback, approvals, and the evaluation. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detection: rules (built-in and your own), alerts and your verdicts on them, quarantines waiting"
                + " for approval, a device's features, and the evaluation against simulated attacks.")
public final class DetectCommand extends CommandGroup {

    abstract static class Base extends ApiCommand {
        /** Prints {@code node} as JSON with --json, else the lines {@code text} makes of it. */
        void print(JsonNode node, java.util.function.Consumer<JsonNode> text) {
            if (json) {
                Output.json(out(), node);
            } else {
                text.accept(node);
                out().flush();
            }
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = "List the built-in rules (with what each does under this configuration) and your rules.")
    static final class Rules extends Base {
        @Override
        public void run() {
            print(api().get("detection/rules", Map.of()), rules -> {
                out().println("built-in:");
                for (JsonNode rule : rules.path("built_in")) {
                    out().printf("  %-22s %-7s %-25s %s%n", rule.path("name").asText(), rule.path("severity").asText(),
                            rule.path("action").asText(), rule.path("description").asText());
                }
                out().println("operator:" + (rules.path("operator").isEmpty() ? " none" : ""));
                for (JsonNode rule : rules.path("operator")) {
                    out().println("  " + ruleLine(rule));
                }
            });
        }
    }

    static String ruleLine(JsonNode rule) {
        String scope = (rule.path("profile").asText().isEmpty() ? "" : " profile " + rule.path("profile").asText())
                + (rule.path("segment").asText().isEmpty() ? "" : " segment " + rule.path("segment").asText());
        return String.format("%-22s %s %s %s%s -> %s (%s)", rule.path("name").asText(), rule.path("feature").asText(),
                rule.path("kind").asText(), rule.path("value").asText(), scope.isEmpty() ? " (all devices)" : scope,
                rule.path("action").asText(), rule.path("severity").asText());
    }

    @Command(name = "rule", mixinStandardHelpOptions = true,
            description = "Add or replace a rule of your own. It applies at once and is stored. FEATURE is one of the"
                    + " names `palisade detect features DEVICE` prints (e.g. bytes_per_min, acl_denied_per_min,"
                    + " payload_entropy_bits); an unknown name is refused with the full list.")
    static final class SetRule extends Base {
        @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits, '.', '_' or '-'.")
        String name;

        @Option(names = "--feature", required = true, paramLabel = "FEATURE")
        String feature;

        @Option(names = "--kind", defaultValue = "threshold", paramLabel = "KIND",
                description = "threshold (fires at VALUE), percentile (above the VALUE-th percentile of the device's"
                        + " profile), rate-of-change (a rise of VALUE over the device's last few minutes)"
                        + " (default: ${DEFAULT-VALUE}).")
        String kind;

        @Option(names = "--value", required = true, paramLabel = "NUMBER")
        double value;

        @Option(names = "--profile", paramLabel = "P", description = "Only devices of this profile.")
        String profile = "";

        @Option(names = "--segment", paramLabel = "S", description = "Only devices of this segment.")
        String segment = "";

        @Option(names = "--severity", defaultValue = "medium", paramLabel = "SEVERITY",
                description = "low, medium, high or critical (default: ${DEFAULT-VALUE}).")
        String severity;

        @Option(names = "--action", paramLabel = "ACTION", description = "record, alert, throttle,"
                + " quarantine-with-approval, quarantine or revoke (default: alert, or quarantine-with-approval for"
                + " high and critical).")
        String action;

        @Option(names = "--description", paramLabel = "TEXT", description = "Why the rule exists, shown in its alerts.")
        String description = "";

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("feature", feature).put("kind", kind).put("value", value)
                    .put("profile", profile).put("segment", segment).put("severity", severity)
                    .put("description", description);
            if (action != null) {
                body.put("action", action);
            }
            print(api().put("detection/rules/" + name, body), rule -> out().println("rule " + ruleLine(rule)));
        }
    }

    @Command(name = "rule-delete", aliases = "rule-remove", mixinStandardHelpOptions = true,
            description = "Delete a rule of your own (like `policy delete`; `rule-remove` still works).")
    static final class RemoveRule extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            print(api().delete("detection/rules/" + name), done -> out().println("rule " + name + " removed"));
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Recent alerts, newest first, with their ids"
            + " (for feedback), what fired, what was done and why.")
    static final class Alerts extends Base {
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public void run() {
            print(api().get("detection/alerts", Map.of("limit", Integer.toString(limit))), list -> {
                for (JsonNode alert : list.path("alerts")) {
                    out().printf("%s  %s  %-16s %-20s %-8s %-24s %s%s%n", alert.path("id").asText(),
                            alert.path("time").asText(), alert.path("subject").asText(), alert.path("rule").asText(),
                            alert.path("severity").asText(), alert.path("action").asText(), alert.path("reason").asText(),
                            alert.has("verdict") ? "  [" + alert.path("verdict").asText() + "]" : "");
                }
            });
        }
    }

    @Command(name = "feedback", mixinStandardHelpOptions = true,
            description = "Give your verdict on an alert: --false-positive (the rule then needs twice the evidence for"
                    + " that device), --benign (the rule is silent for that device for 24 h) or --true-positive"
                    + " (recorded). Prints what changed; `detect tuning` lists it all.")
    static final class Feedback extends Base {
        @Parameters(paramLabel = "ALERT_ID")
        String alert;

        @CommandLine.ArgGroup(multiplicity = "1")
        Verdict verdict;

        static final class Verdict {
            @Option(names = "--true-positive", required = true)
            boolean truePositive;

            @Option(names = "--false-positive", required = true)
            boolean falsePositive;

            @Option(names = "--benign", required = true)
            boolean benign;

            String wireName() {
                return truePositive ? "true-positive" : falsePositive ? "false-positive" : "benign";
            }
        }

        @Override
        public void run() {
            print(api().post("detection/alerts/" + alert + "/feedback", ApiClient.object().put("verdict",
                    verdict.wireName())), answer -> out().println(answer.path("effect").asText()));
        }
    }

    @Command(name = "tuning", mixinStandardHelpOptions = true,
            description = "What feedback changed: per device and rule, the factor on its limit and any silence.")
    static final class Tuning extends Base {
        @Override
        public void run() {
            print(api().get("detection/tuning", Map.of()), list -> {
                if (list.path("tuning").isEmpty()) {
                    out().println("no adjustments");
                }
                for (JsonNode entry : list.path("tuning")) {
                    out().printf("%-24s %-20s limit x%.0f%s%n", entry.path("subject").asText(), entry.path("rule").asText(),
                            entry.path("factor").asDouble(), entry.has("silent_until")
                                    ? ", silent until " + entry.path("silent_until").asText() : "");
                }
            });
        }
    }

    @Command(name = "pending", mixinStandardHelpOptions = true,
            description = "Quarantines detection proposed that wait for your approval.")
    static final class Pending extends Base {
        @Override
        public void run() {
            print(api().get("detection/pending", Map.of()), list -> {
                if (list.path("pending").isEmpty()) {
                    out().println("nothing waits for approval");
                }
                for (JsonNode p : list.path("pending")) {
                    out().printf("%s  %s  %-24s %s%n", p.path("id").asText(), p.path("created").asText(),
                            p.path("device").asText(), p.path("reason").asText());
                }
            });
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a proposed quarantine: it takes effect now.")
    static final class Approve extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            print(api().post("detection/pending/" + id + "/approve", ApiClient.object()),
                    answer -> out().println(answer.path("outcome").asText()));
        }
    }

    @Command(name = "dismiss", mixinStandardHelpOptions = true, description = "Dismiss a proposed quarantine.")
    static final class Dismiss extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            print(api().post("detection/pending/" + id + "/dismiss", ApiClient.object()),
                    answer -> out().println(answer.path("outcome").asText()));
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true, description = "A device's behaviour features now,"
            + " or an address's (a client known only by its address, such as a legacy Modbus master).")
    static final class Features extends Base {
        @Parameters(paramLabel = "DEVICE|ADDRESS")
        String device;

        @Override
        public void run() {
            String route = io.palisade.core.net.IpLiteral.parse(device).isPresent() ? "detection/addresses/"
                    : "detection/devices/";
            print(api().get(route + device, Map.of()), answer -> {
                out().printf("%-28s %s%n", "FEATURE", "VALUE");
                answer.path("features").fields().forEachRemaining(f ->
                        out().printf("%-28s %s%n", f.getKey(), readable(f.getValue())));
            });
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate detection: a simulated fleet (sensors, meters, cameras, PLCs, trackers, with daily"
                    + " cycles, a reconnect storm and a roll-out) and labelled attacks, in virtual time, through the real"
                    + " detector, access policy and quota. Prints per scenario the detection rate, median and p95 time"
                    + " to detect and to quarantine and ROC AUC, beside the static baseline (rules alone), and false"
                    + " alarms per 1,000 device-hours. Needs no running instance. Exit code 4 when a goal is missed.")
    static final class Eval implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--devices", defaultValue = "100", paramLabel = "N", description = "Fleet size (default: ${DEFAULT-VALUE}).")
        int devices;

        @Option(names = "--hours", defaultValue = "36", paramLabel = "H",
                description = "Simulated hours per run (default: ${DEFAULT-VALUE}).")
        int hours;

        @Option(names = "--learning", defaultValue = "24h", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "The detector's learning period; attacks start after it (default: ${DEFAULT-VALUE}).")
        Duration learning;

        @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "Seeded runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--instances", defaultValue = "2", paramLabel = "N",
                description = "Instances of each scenario per run (default: ${DEFAULT-VALUE}).")
        int instances;

        @Option(names = "--scenarios", paramLabel = "LIST", description = "Comma-separated, default all: brute-force,"
                + " topic-scan, c2-beacon, exfil-burst, exfil-drip, lateral-injection, ddos-flood, stolen-identity,"
                + " file-tamper.")
        String scenarios;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the first run (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:PALISADE_DATA:-palisade-data}",
                description = "When this data directory exists, the report is also kept there (the API and the web"
                        + " console show the latest); default: $PALISADE_DATA, else palisade-data; now ${DEFAULT-VALUE}.")
        Path data;

        @Option(names = "--live", description = "Instead: start a real Palisade (temporary data directory, loopback"
                + " ports), connect --devices (default 20) real mutual-TLS MQTT devices and stage the fast attacks"
                + " (topic scan, lateral injection, flood, TLS brute force) --instances times each, in wall-clock"
                + " time; about a minute.")
        boolean live;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (live) {
                return live();
            }
            EvalConfig config;
            try {
                config = new EvalConfig(devices, hours, learning, runs, instances, scenarios == null
                        ? EvalConfig.defaults().scenarios() : EvalConfig.parseScenarios(scenarios), seed,
                        EvalConfig.defaults().sampleInterval());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintStream progress = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                    StandardCharsets.UTF_8);
            Evaluation.Report report = Evaluation.run(config, progress);
            PrintWriter out = spec.commandLine().getOut();
            keep(config, report, progress);
            if (json) {
                Output.json(out, Evaluation.toJson(report));
            } else {
                java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                Evaluation.print(config, report, new PrintStream(text, true, StandardCharsets.UTF_8));
                out.print(text.toString(StandardCharsets.UTF_8));
                out.flush();
            }
            return Evaluation.goalsMet(report) ? 0 : 4;
        }

        /**
         * Keeps the report, with when and how it was made, in the data directory when there is one: the instance serves
         * the latest at {@code GET /api/v1/detection/evaluation}. Written to a temporary file and moved, so a reader
         * never sees half a report.
         */
        private void keep(EvalConfig config, Evaluation.Report report, PrintStream progress) throws java.io.IOException {
            if (!Files.isDirectory(data)) {
                return;
            }
            var node = Evaluation.toJson(report);
            node.put("finished", java.time.Instant.now().toString()).put("devices", config.devices())
                    .put("hours", config.hours()).put("runs", config.runs()).put("goals_met", Evaluation.goalsMet(report));
            Path file = new io.palisade.control.DataDirectory(data).evaluationReportFile();
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(node));
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            progress.println("report kept in " + file + " (the web console shows the latest)");
        }

        private int live() throws Exception {
            int liveDevices = spec.commandLine().getParseResult().hasMatchedOption("--devices") ? devices : 20;
            Path data = Files.createTempDirectory("palisade-live-eval");
            PrintStream progress = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                    StandardCharsets.UTF_8);
            LiveEvaluation.Result result;
            try {
                result = LiveEvaluation.run(data, liveDevices, instances, progress);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } finally {
                deleteTree(data);
            }
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            LiveEvaluation.print(result, new PrintStream(text, true, StandardCharsets.UTF_8));
            PrintWriter out = spec.commandLine().getOut();
            out.print(text.toString(StandardCharsets.UTF_8));
            out.flush();
            boolean allFound = result.rows().stream().allMatch(r -> r.detected() == r.instances());
            return allFound && result.falseAlarms() == 0 ? 0 : 4;
        }

        private static void deleteTree(Path root) throws java.io.IOException {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** A feature's value to three significant digits (0.277, 14.8, 0.000833), whole numbers as such; --json keeps all. */
    static String readable(com.fasterxml.jackson.databind.JsonNode value) {
        if (!value.isNumber()) {
            return value.asText();
        }
        double number = value.asDouble();
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString((long) number);
        }
        return new java.math.BigDecimal(number).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
