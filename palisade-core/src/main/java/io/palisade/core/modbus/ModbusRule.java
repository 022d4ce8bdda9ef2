package io.palisade.core.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.net.Cidr;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What one kind of client may do to which PLCs. The client: a certificate identity, a role (Modbus/TCP Security), or
 * source addresses (legacy masters); a rule with none of them applies to every client. Then the unit ids, the
 * function codes, and per table the address ranges it may touch; {@code readOnly} refuses every write;
 * {@code writeValues} bounds every register value written; {@code writesPerSecond} caps this rule's writes to each
 * unit. Anything no rule allows is refused.
 *
 * <p>JSON: {@code {"identity", "role", "sources": ["10.0.0.0/24"], "units": "1-5", "functions": [3, 16],
 * "ranges": {"holding-registers": "0-99", "coils": "0-15"}, "read_only": false, "write_values": "0-1000",
 * "writes_per_second": 5}}.
 */
public record ModbusRule(String name, Optional<String> identity, Optional<String> role, List<Cidr> sources,
                         IntRanges units, TreeSet<Integer> functions, Map<ModbusTable, IntRanges> ranges,
                         boolean readOnly, Optional<IntRanges> writeValues, Optional<Double> writesPerSecond) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Read coils, discrete inputs, holding and input registers; write single and multiple coils and registers. */
    public static final List<Integer> KNOWN_FUNCTIONS = List.of(1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 22, 23, 43);

    public ModbusRule {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a Modbus rule name is 1-64 lower-case letters, digits, '.', '_' or"
                    + " '-', starting with a letter or digit; got '" + name + "'");
        }
        sources = List.copyOf(sources);
        functions = new TreeSet<>(functions);
        ranges = Map.copyOf(ranges);
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + " allows no function; list the function codes it allows");
        }
        for (int function : functions) {
            if (!KNOWN_FUNCTIONS.contains(function)) {
                throw new IllegalArgumentException("rule " + name + ": function " + function + " is not one Palisade"
                        + " inspects; known: " + KNOWN_FUNCTIONS);
            }
        }
        writesPerSecond.ifPresent(rate -> {
            if (!(rate > 0) || rate > 10_000) {
                throw new IllegalArgumentException("rule " + name + ": writes_per_second must be above 0 and at most"
                        + " 10000");
            }
        });
    }

    /** Whether this rule speaks about {@code client}. */
    public boolean appliesTo(ModbusClient client) {
        return identity.map(id -> client.identity().map(id::equals).orElse(false)).orElse(true)
                && role.map(r -> client.role().map(r::equals).orElse(false)).orElse(true)
                && (sources.isEmpty() || sources.stream().anyMatch(block -> block.contains(client.address())));
    }

    /**
     * Whether this rule allows the request, and if not the first reason (write rate aside: the firewall keeps the
     * buckets).
     */
    public ModbusDecision judge(ModbusRequest request) {
        if (!units.contains(request.unit())) {
            return ModbusDecision.refuse(name, "unit " + request.unit() + " is not among units " + units,
                    ModbusDecision.ILLEGAL_DATA_ADDRESS);
        }
        if (!functions.contains(request.function())) {
            return ModbusDecision.refuse(name, "function " + request.function() + " is not allowed (allowed: "
                    + functions + ")", ModbusDecision.ILLEGAL_FUNCTION);
        }
        for (ModbusAccess access : request.accesses()) {
            if (access.write() && readOnly) {
                return ModbusDecision.refuse(name, access.describe() + ": the rule is read-only",
                        ModbusDecision.ILLEGAL_FUNCTION);
            }
            IntRanges allowed = ranges.get(access.table());
            if (allowed == null || !allowed.covers(access.address(), access.lastAddress())) {
                return ModbusDecision.refuse(name, access.describe() + " is outside the allowed "
                        + access.table().wireName() + (allowed == null ? " (none)" : " " + allowed),
                        ModbusDecision.ILLEGAL_DATA_ADDRESS);
            }
            if (access.write() && access.table() == ModbusTable.HOLDING_REGISTERS && writeValues.isPresent()) {
                if (access.values().length < access.quantity()) {
                    return ModbusDecision.refuse(name, access.describe() + ": a mask write's result cannot be held to"
                            + " the allowed values " + writeValues.get(), ModbusDecision.ILLEGAL_DATA_VALUE);
                }
                for (int value : access.values()) {
                    if (!writeValues.get().contains(value)) {
                        return ModbusDecision.refuse(name, access.describe() + ": value " + value
                                + " is outside the allowed " + writeValues.get(), ModbusDecision.ILLEGAL_DATA_VALUE);
                    }
                }
            }
        }
        return ModbusDecision.allow(name);
    }

    public static ModbusRule fromJson(String name, JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a Modbus rule is a JSON object");
        }
        List<Cidr> sources = new ArrayList<>();
        for (JsonNode source : json.path("sources")) {
            sources.add(Cidr.parse(source.asText()));
        }
        TreeSet<Integer> functions = new TreeSet<>();
        for (JsonNode function : json.path("functions")) {
            if (!function.canConvertToInt()) {
                throw new IllegalArgumentException("functions are numbers, such as [3, 16]; got " + function);
            }
            functions.add(function.asInt());
        }
        Map<ModbusTable, IntRanges> ranges = new EnumMap<>(ModbusTable.class);
        json.path("ranges").fields().forEachRemaining(entry -> {
            ModbusTable table = ModbusTable.fromWireName(entry.getKey());
            ranges.put(table, IntRanges.parse(entry.getValue().asText(), 0, 0xFFFF, table.wireName()));
        });
        JsonNode rate = json.path("writes_per_second");
        return new ModbusRule(name, text(json, "identity"), text(json, "role"), sources,
                IntRanges.parse(json.path("units").asText(""), 0, 255, "units"), functions, ranges,
                json.path("read_only").asBoolean(false),
                text(json, "write_values").map(v -> IntRanges.parse(v, 0, 0xFFFF, "write_values")),
                rate.isMissingNode() || rate.isNull() ? Optional.empty() : Optional.of(rate.asDouble()));
    }

    private static Optional<String> text(JsonNode json, String field) {
        return json.hasNonNull(field) && !json.get(field).asText().isBlank()
                ? Optional.of(json.get(field).asText().strip()) : Optional.empty();
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put("name", name);
        identity.ifPresent(id -> node.put("identity", id));
        role.ifPresent(r -> node.put("role", r));
        sources.forEach(source -> node.withArray("sources").add(source.toString()));
        node.put("units", units.toString());
        functions.forEach(node.putArray("functions")::add);
        ObjectNode tables = node.putObject("ranges");
        ranges.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> tables.put(entry.getKey().wireName(), entry.getValue().toString()));
        node.put("read_only", readOnly);
        writeValues.ifPresent(v -> node.put("write_values", v.toString()));
        writesPerSecond.ifPresent(r -> node.put("writes_per_second", r));
        return node;
    }
}
