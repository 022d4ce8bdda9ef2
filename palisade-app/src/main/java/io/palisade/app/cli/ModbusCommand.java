package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade modbus ...}: the Modbus/TCP firewall's rules. */
@Command(name = "modbus", mixinStandardHelpOptions = true,
        description = {"The Modbus/TCP firewall: 'palisade up --modbus-plc HOST:PORT' puts Palisade in front of a PLC;"
                + " clients connect to --modbus-port and only what a rule allows reaches the PLC (deny by default).",
                "A refused request is answered with Modbus exception 01 (function), 02 (address) or 03 (value), or"
                        + " dropped with --modbus-refusals drop, and recorded as an acl.denied event."})
public final class ModbusCommand extends CommandGroup {

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Add or replace a rule; connected clients meet it at their next request.")
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--source", paramLabel = "CIDR", description = "client addresses (repeatable), e.g. 10.0.0.0/24")
        List<String> sources = new ArrayList<>();

        @Option(names = "--identity", paramLabel = "ID", description = "the client certificate's identity (Modbus/TCP"
                + " Security)")
        String identity;

        @Option(names = "--role", paramLabel = "ROLE", description = "the role in the client's certificate (Modbus/TCP"
                + " Security)")
        String role;

        @Option(names = "--units", required = true, paramLabel = "RANGES", description = "unit ids, e.g. 1-5,7")
        String units;

        @Option(names = "--functions", required = true, split = ",", paramLabel = "CODE",
                description = "function codes allowed, e.g. 1,2,3,4 (reads), 5,6,15,16 (writes), 22, 23, 8, 17, 43")
        List<Integer> functions = new ArrayList<>();

        @Option(names = "--range", paramLabel = "TABLE=RANGES", description = "addresses per table (repeatable):"
                + " coils, discrete-inputs, holding-registers, input-registers; e.g. holding-registers=0-99")
        Map<String, String> ranges = new LinkedHashMap<>();

        @Option(names = "--read-only", description = "refuse every write")
        boolean readOnly;

        @Option(names = "--write-values", paramLabel = "RANGES", description = "register values a write may carry,"
                + " e.g. 0-1000")
        String writeValues;

        @Option(names = "--writes-per-second", paramLabel = "N", description = "at most this many writes a second to"
                + " each unit")
        Double writesPerSecond;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("units", units).put("read_only", readOnly);
            sources.forEach(body.putArray("sources")::add);
            if (identity != null) {
                body.put("identity", identity);
            }
            if (role != null) {
                body.put("role", role);
            }
            functions.forEach(body.putArray("functions")::add);
            ObjectNode tables = body.putObject("ranges");
            ranges.forEach(tables::put);
            if (writeValues != null) {
                body.put("write_values", writeValues);
            }
            if (writesPerSecond != null) {
                body.put("writes_per_second", writesPerSecond);
            }
            JsonNode answer = api().put("modbus/rules/" + name, body);
            done(answer, "Modbus rule " + name + " set: " + describe(answer));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules.")
    static final class ListRules extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("modbus/rules", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("rules").isEmpty()) {
                out().println("no Modbus rules: every request is refused");
            }
            for (JsonNode rule : answer.path("rules")) {
                out().println(rule.path("name").asText() + ": " + describe(rule));
            }
            out().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a rule.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            done(api().delete("modbus/rules/" + name), "Modbus rule " + name + " deleted");
        }
    }

    @Command(name = "blocks", mixinStandardHelpOptions = true,
            description = "List the addresses blocked after detection's finding about them, with when each block ends.")
    static final class Blocks extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("modbus/blocks", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("blocks").isEmpty()) {
                out().println("no address is blocked");
            }
            for (JsonNode block : answer.path("blocks")) {
                out().println(block.path("address").asText() + " blocked until " + block.path("until").asText());
            }
            out().flush();
        }
    }

    @Command(name = "unblock", mixinStandardHelpOptions = true,
            description = "Lift the block of an address now (e.g. after a commissioning scan detection took for an"
                    + " attack); recorded as an admin.change event.")
    static final class Unblock extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ADDRESS")
        String address;

        @Override
        public void run() {
            done(api().post("modbus/blocks/" + address + "/unblock", ApiClient.object()), address + " unblocked");
        }
    }

    /** One line: who, which units and functions, which ranges, and the limits. */
    static String describe(JsonNode rule) {
        List<String> who = new ArrayList<>();
        rule.path("sources").forEach(s -> who.add(s.asText()));
        if (rule.has("identity")) {
            who.add("identity " + rule.path("identity").asText());
        }
        if (rule.has("role")) {
            who.add("role " + rule.path("role").asText());
        }
        List<String> functions = new ArrayList<>();
        rule.path("functions").forEach(f -> functions.add(f.asText()));
        List<String> ranges = new ArrayList<>();
        rule.path("ranges").fields().forEachRemaining(e -> ranges.add(e.getKey() + " " + e.getValue().asText()));
        return (who.isEmpty() ? "any client" : String.join(", ", who)) + "; units " + rule.path("units").asText()
                + "; functions " + String.join(",", functions) + "; " + (ranges.isEmpty() ? "no table"
                : String.join(", ", ranges)) + (rule.path("read_only").asBoolean() ? "; read-only" : "")
                + (rule.has("write_values") ? "; values " + rule.path("write_values").asText() : "")
                + (rule.has("writes_per_second") ? "; " + rule.path("writes_per_second").asText() + " writes/s" : "");
    }
}
