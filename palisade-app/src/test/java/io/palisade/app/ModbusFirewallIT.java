package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.testing.Mbpoll;
import io.palisade.core.testing.ModbusPlc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Modbus/TCP firewall as an operator runs it: {@code palisade up --modbus-plc} in front of a pymodbus PLC,
 * rules set with {@code palisade modbus set}, {@code mbpoll} as the master. Deny by default; a rule opens exactly its
 * range; a refusal is an {@code acl.denied} event with the Modbus details; rule changes are {@code admin.change}
 * events and survive a restart.
 */
class ModbusFirewallIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rules_set_with_the_cli_decide_what_reaches_the_plc_and_survive_a_restart() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        try (ModbusPlc plc = ModbusPlc.start(dir)) {
            int modbusPort = PalisadeProcess.freePort();
            List<String> options = List.of("--modbus-plc", "127.0.0.1:" + plc.port(), "--modbus-port",
                    Integer.toString(modbusPort));
            try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                    PalisadeProcess.freePort(), options)) {
                assertThat(palisade.output()).contains("Modbus/TCP     port " + modbusPort + ": units 0-255 -> 127.0.0.1:"
                        + plc.port());
                assertThat(cli(at, "modbus", "list").out()).isEqualTo("no Modbus rules: every request is refused\n");
                assertThat(Mbpoll.run(modbusPort, "-r", "0", "-c", "2", "-1")).as("deny by default")
                        .contains("Illegal function");

                Cli.Result set = cli(at, "modbus", "set", "hmi", "--source", "127.0.0.1", "--units", "1",
                        "--functions", "3,6", "--range", "holding-registers=0-99", "--write-values", "0-1000");
                assertThat(set.exitCode()).as(set.err()).isZero();
                assertThat(set.out()).isEqualTo("Modbus rule hmi set: 127.0.0.1/32; units 1; functions 3,6;"
                        + " holding-registers 0-99; values 0-1000\n");
                assertThat(Mbpoll.run(modbusPort, "-r", "3", "-c", "2", "-1")).contains("[3]: \t3", "[4]: \t4");
                assertThat(Mbpoll.run(modbusPort, "-r", "8", "777")).contains("Written 1 references");
                assertThat(Mbpoll.run(plc.port(), "-r", "8", "-c", "1", "-1")).contains("[8]: \t777");
                assertThat(Mbpoll.run(modbusPort, "-r", "8", "5000")).contains("Illegal data value");
                assertThat(Mbpoll.run(modbusPort, "-r", "100", "-c", "1", "-1")).contains("Illegal data address");

                Cli.Result bad = cli(at, "modbus", "set", "broken", "--units", "1", "--functions", "99");
                assertThat(bad.exitCode()).isNotZero();
                assertThat(bad.err()).contains("bad Modbus rule: rule broken: function 99 is not one Palisade inspects");

                List<JsonNode> refused = events(at, "acl.denied");
                assertThat(refused).extracting(e -> e.path("details").path("rule").asText())
                        .containsExactly("default-deny", "hmi", "hmi");
                assertThat(refused.get(1).path("details").path("reason").asText())
                        .isEqualTo("write holding-registers 8: value 5000 is outside the allowed 0-1000");
                assertThat(refused.get(2).path("details").path("access").asText())
                        .isEqualTo("read holding-registers 100");
                assertThat(refused).allSatisfy(e -> assertThat(e.path("source").asText()).isEqualTo("127.0.0.1"));
                assertThat(events(at, "admin.change")).singleElement().satisfies(change -> {
                    assertThat(change.path("details").path("what").asText()).isEqualTo("modbus-rule");
                    assertThat(change.path("details").path("before").asText()).isEqualTo("none");
                });
                assertThat(palisade.stop()).isIn(0, 143);
            }
            try (PalisadeProcess again = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                    PalisadeProcess.freePort(), options)) {
                assertThat(Mbpoll.run(modbusPort, "-r", "8", "-c", "1", "-1")).as("the rule survived a restart")
                        .contains("[8]: \t777");
                // A legacy master's allowed requests are detection's traffic, learned about its address.
                JsonNode learned = JSON.readTree(cli(at, "detect", "features", "127.0.0.1", "--json").out());
                assertThat(learned.path("features").path("distinct_topics").asDouble()).as(learned.toString())
                        .isGreaterThanOrEqualTo(1.0);
                assertThat(cli(at, "modbus", "delete", "hmi").exitCode()).isZero();
                assertThat(Mbpoll.run(modbusPort, "-r", "8", "-c", "1", "-1")).contains("Illegal function");

                // A legacy master scanning: its refusals count against its address, detection finds it, and the
                // address is cut off from the Modbus firewall.
                try (java.net.Socket scanner = new java.net.Socket("127.0.0.1", modbusPort)) {
                    scanner.setSoTimeout(20_000);
                    for (int register = 0; register < 30; register++) {
                        scanner.getOutputStream().write(java.util.HexFormat.of().parseHex(String.format(
                                "%04x000000060103%04x0001", register, register)));
                    }
                    scanner.getOutputStream().flush();
                    while (scanner.getInputStream().read() >= 0) {
                        // exception answers, until the connection is cut
                    }
                }
                assertThat(Mbpoll.run(modbusPort, "-r", "0", "-c", "1", "-1")).as("blocked")
                        .doesNotContain("Illegal function").doesNotContain("[0]:");
                java.util.concurrent.atomic.AtomicReference<List<JsonNode>> blocks = new java.util.concurrent.atomic.AtomicReference<>();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                    blocks.set(events(at, "acl.denied").stream()
                            .filter(e -> e.path("details").path("action").asText().equals("block")).toList());
                    return !blocks.get().isEmpty(); // the store takes bus events a moment after they happen
                });
                assertThat(blocks.get()).singleElement().satisfies(block -> {
                    assertThat(block.path("source").asText()).isEqualTo("127.0.0.1");
                    assertThat(block.path("details").path("rule").asText()).isEqualTo("topic-probing");
                });
                // The operator lifts the block (the scan was a commissioning tool): the address is served again.
                assertThat(cli(at, "modbus", "blocks").out()).contains("127.0.0.1 blocked until");
                Cli.Result unblocked = cli(at, "modbus", "unblock", "127.0.0.1");
                assertThat(unblocked.exitCode()).as(unblocked.err()).isZero();
                assertThat(cli(at, "modbus", "blocks").out()).contains("no address is blocked");
                // Blocked, a connection was closed unanswered; now the firewall answers again (default deny: the rule
                // was deleted above).
                assertThat(Mbpoll.run(modbusPort, "-r", "8", "-c", "1", "-1")).as("served again")
                        .contains("Illegal function");
                Cli.Result twice = cli(at, "modbus", "unblock", "127.0.0.1");
                assertThat(twice.exitCode()).isNotZero();
                assertThat(twice.err()).contains("does not block 127.0.0.1");

                // A burst of rogue writes from another master (127.0.0.2, allowed to read and to write one register):
                // block writes to registers its rule does not allow are refused, count against its address, and get
                // it blocked within seconds, while 127.0.0.1 is still served.
                assertThat(cli(at, "modbus", "set", "writer", "--source", "127.0.0.2", "--units", "1", "--functions",
                        "3,6", "--range", "holding-registers=0-9").exitCode()).isZero();
                try (java.net.Socket writer = new java.net.Socket()) {
                    writer.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                    writer.connect(new java.net.InetSocketAddress("127.0.0.1", modbusPort));
                    writer.setSoTimeout(20_000);
                    writer.getOutputStream().write(java.util.HexFormat.of().parseHex("000100000006010300080001"));
                    byte[] answer = writer.getInputStream().readNBytes(11);
                    assertThat(java.util.HexFormat.of().formatHex(answer)).as("its allowed read (777, written above)")
                            .isEqualTo("0001000000050103020309");
                    for (int register = 100; register < 130; register++) {
                        writer.getOutputStream().write(java.util.HexFormat.of().parseHex(String.format(
                                "%04x00000009011000%02x00010200ff", register, register)));
                    }
                    writer.getOutputStream().flush();
                    while (writer.getInputStream().read() >= 0) {
                        // exception answers to the refused writes, until the connection is cut
                    }
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                        cli(at, "modbus", "blocks").out().contains("127.0.0.2 blocked until"));
                assertThat(cli(at, "modbus", "blocks").out()).doesNotContain("127.0.0.1 blocked");
            }
        }
    }

    private static List<JsonNode> events(String[] at, String type) {
        return Cli.events(at, type);
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
