package io.palisade.core.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Modbus rules and decisions without sockets: deny by default, ranges, read-only, value bounds, write rate. */
class ModbusFirewallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private long nanos = 1_000_000_000L;
    private final ModbusFirewall firewall = new ModbusFirewall(() -> nanos);

    private static ModbusRule rule(String name, String json) throws Exception {
        return ModbusRule.fromJson(name, JSON.readTree(json));
    }

    private static ModbusRequest readHolding(int unit, int address, int quantity) {
        return new ModbusRequest(unit, 3, List.of(ModbusAccess.read(ModbusTable.HOLDING_REGISTERS, address, quantity)));
    }

    private static ModbusRequest writeHolding(int unit, int address, int... values) {
        return new ModbusRequest(unit, 16, List.of(ModbusAccess.write(ModbusTable.HOLDING_REGISTERS, address, values)));
    }

    @Test
    void nothing_is_allowed_until_a_rule_says_so() {
        ModbusDecision decision = firewall.decide(ModbusClient.legacy("10.0.0.5"), readHolding(1, 0, 1));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rule()).isEqualTo("default-deny");
        assertThat(decision.reason()).isEqualTo("no rule covers 10.0.0.5");
        assertThat(decision.exceptionCode()).isEqualTo(ModbusDecision.ILLEGAL_FUNCTION);
    }

    @Test
    void a_legacy_master_reads_its_range_and_writes_bounded_values_and_nothing_else() throws Exception {
        firewall.replaceRules(List.of(rule("hmi", "{\"sources\": [\"10.0.0.0/24\"], \"units\": \"1-2\","
                + " \"functions\": [3, 6, 16], \"ranges\": {\"holding-registers\": \"0-99\"}, \"write_values\": \"0-1000\"}")));
        ModbusClient hmi = ModbusClient.legacy("10.0.0.5");
        assertThat(firewall.decide(hmi, readHolding(1, 0, 100)).allowed()).isTrue();
        assertThat(firewall.decide(hmi, writeHolding(2, 10, 500, 1000)).allowed()).isTrue();

        ModbusDecision beyond = firewall.decide(hmi, readHolding(1, 90, 20));
        assertThat(beyond.allowed()).isFalse();
        assertThat(beyond.rule()).isEqualTo("hmi");
        assertThat(beyond.reason()).isEqualTo("read holding-registers 90-109 is outside the allowed holding-registers 0-99");
        assertThat(beyond.exceptionCode()).isEqualTo(ModbusDecision.ILLEGAL_DATA_ADDRESS);
        assertThat(firewall.decide(hmi, writeHolding(1, 10, 1001)).exceptionCode())
                .isEqualTo(ModbusDecision.ILLEGAL_DATA_VALUE);
        assertThat(firewall.decide(hmi, readHolding(3, 0, 1)).reason()).isEqualTo("unit 3 is not among units 1-2");
        ModbusDecision coils = firewall.decide(hmi, new ModbusRequest(1, 1,
                List.of(ModbusAccess.read(ModbusTable.COILS, 0, 8))));
        assertThat(coils.exceptionCode()).isEqualTo(ModbusDecision.ILLEGAL_FUNCTION);
        assertThat(firewall.decide(ModbusClient.legacy("10.0.1.5"), readHolding(1, 0, 1)).rule())
                .as("another network").isEqualTo("default-deny");
    }

    @Test
    void a_read_only_role_reads_and_a_second_rule_can_still_allow_writes_to_another_client() throws Exception {
        firewall.replaceRules(List.of(
                rule("viewers", "{\"role\": \"viewer\", \"units\": \"0-255\", \"functions\": [3, 16],"
                        + " \"ranges\": {\"holding-registers\": \"0-65535\"}, \"read_only\": true}"),
                rule("engineer", "{\"identity\": \"eng-1\", \"units\": \"1\", \"functions\": [16],"
                        + " \"ranges\": {\"holding-registers\": \"0-10\"}}")));
        ModbusClient viewer = new ModbusClient("10.0.0.9", Optional.of("hmi-3"), Optional.of("viewer"));
        assertThat(firewall.decide(viewer, readHolding(7, 1000, 125)).allowed()).isTrue();
        ModbusDecision write = firewall.decide(viewer, writeHolding(1, 0, 1));
        assertThat(write.allowed()).isFalse();
        assertThat(write.reason()).isEqualTo("write holding-registers 0: the rule is read-only");
        ModbusClient engineer = new ModbusClient("10.0.0.10", Optional.of("eng-1"), Optional.of("engineer"));
        assertThat(firewall.decide(engineer, writeHolding(1, 0, 1)).rule()).isEqualTo("engineer");
    }

    @Test
    void writes_beyond_the_rate_are_refused_and_allowed_again_as_time_passes() throws Exception {
        firewall.replaceRules(List.of(rule("slow", "{\"units\": \"1\", \"functions\": [16],"
                + " \"ranges\": {\"holding-registers\": \"0-9\"}, \"writes_per_second\": 2}")));
        ModbusClient any = ModbusClient.legacy("192.168.1.1");
        assertThat(firewall.decide(any, writeHolding(1, 0, 1)).allowed()).isTrue();
        assertThat(firewall.decide(any, writeHolding(1, 0, 1)).allowed()).isTrue();
        ModbusDecision third = firewall.decide(any, writeHolding(1, 0, 1));
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).isEqualTo("more than 2.0 writes a second to unit 1");
        assertThat(firewall.decide(any, readHoldingAllowed()).allowed()).as("reads are not charged").isFalse();
        nanos += 500_000_000L;
        assertThat(firewall.decide(any, writeHolding(1, 0, 1)).allowed()).isTrue();
    }

    private static ModbusRequest readHoldingAllowed() {
        return readHolding(1, 0, 1); // function 3 is not in the rule: refused for that, not for the rate
    }

    @Test
    void rules_round_trip_through_json_and_bad_ones_are_refused_with_the_reason() throws Exception {
        ModbusRule parsed = rule("line-1", "{\"sources\": [\"10.1.2.3\", \"fd00::/64\"], \"units\": \"1-5,7\","
                + " \"functions\": [1, 3], \"ranges\": {\"coils\": \"0-15\", \"holding-registers\": \"100-199\"},"
                + " \"read_only\": true, \"write_values\": \"0-10\", \"writes_per_second\": 1.5}");
        assertThat(ModbusRule.fromJson("line-1", parsed.toJson())).isEqualTo(parsed);
        assertThat(parsed.toJson().toString()).contains("\"sources\":[\"10.1.2.3/32\",\"fd00:0:0:0:0:0:0:0/64\"]");
        assertThatThrownBy(() -> rule("x", "{\"units\": \"1\", \"functions\": []}"))
                .hasMessageContaining("allows no function");
        assertThatThrownBy(() -> rule("x", "{\"units\": \"1\", \"functions\": [99]}"))
                .hasMessageContaining("function 99 is not one Palisade inspects");
        assertThatThrownBy(() -> rule("x", "{\"units\": \"300\", \"functions\": [3]}"))
                .hasMessageContaining("units: '300' must lie within 0-255");
        assertThatThrownBy(() -> rule("x", "{\"units\": \"1\", \"functions\": [3], \"ranges\": {\"files\": \"1\"}}"))
                .hasMessageContaining("unknown Modbus table 'files'");
        assertThatThrownBy(() -> rule("x", "{\"units\": \"1\", \"functions\": [3], \"sources\": [\"plc.example\"]}"))
                .hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> rule("Bad Name", "{\"units\": \"1\", \"functions\": [3]}"))
                .hasMessageContaining("lower-case");
    }
}
