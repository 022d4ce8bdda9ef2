package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's embedded firewall on a device in a network namespace of its own (joined to this one by a veth pair,
 * where {@code palisade up} runs): {@code palisade agent run --firewall --allow-in tcp/8080} applies its nftables
 * table, keeps its own connection to the gateway, lets the declared service in, drops an undeclared one in each
 * direction, and reports both, counted and sampled, as a {@code firewall.blocked} event.
 */
class FirewallIT {

    @TempDir
    Path dir;

    @Test
    void the_device_firewall_allows_what_is_declared_and_reports_what_it_drops() throws Exception {
        assumeTrue(IsolatedNetwork.available(), "network namespaces need root");
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        try (IsolatedNetwork network = IsolatedNetwork.create();
             PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt,
                     List.of("--bind", "0.0.0.0", "--hostname", IsolatedNetwork.GATEWAY))) {
            Path device = Cli.enroll(at, "fw-1", dir.resolve("device"));
            Process declared = service(network, 8080);
            Process undeclared = service(network, 9090);
            PalisadeProcess.Launched agent = PalisadeProcess.launch(List.of("ip", "netns", "exec", network.clients),
                    List.of("agent", "run", "--data", device.toString(), "--server",
                            "https://" + IsolatedNetwork.GATEWAY + ":" + https, "--mqtt-port", Integer.toString(mqtt),
                            "--no-uevents", "--firewall", "--allow-in", "tcp/8080"), "palisade agent:");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.output().toString()
                        .contains("firewall: table inet palisade"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Cli.events(at, "auth.succeeded").stream()
                        .anyMatch(e -> e.path("device").asText().equals("fw-1")));
                String table = Processes.run(IsolatedNetwork.in(network.clients,
                        List.of("nft", "list", "table", "inet", "palisade"))).output();
                assertThat(table).contains("policy drop").contains("tcp dport 8080 accept")
                        .containsPattern("ip daddr " + IsolatedNetwork.GATEWAY.replace(".", "\\.") + " tcp dport \\{ ("
                                + mqtt + ", " + https + "|" + https + ", " + mqtt + ") \\} accept");

                assertThat(connect(List.of(), IsolatedNetwork.CLIENT, 8080)).as("the declared service").isEqualTo("connected");
                assertThat(connect(List.of(), IsolatedNetwork.CLIENT, 9090)).as("an undeclared service").startsWith("failed");
                // From the device out, to anything but the gateway's two ports: dropped before it leaves.
                assertThat(connect(List.of("ip", "netns", "exec", network.clients), IsolatedNetwork.GATEWAY, 1883))
                        .startsWith("failed");

                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(at) != null
                        && blocked(at).path("details").path("samples").asText().contains("(out)"));
                JsonNode event = blocked(at);
                assertThat(event.path("details").path("samples").asText())
                        .contains("tcp " + IsolatedNetwork.GATEWAY).contains(" -> " + IsolatedNetwork.CLIENT + ":9090 (in)")
                        .contains(" -> " + IsolatedNetwork.GATEWAY + ":1883 (out)");
                long in = Cli.events(at, "firewall.blocked").stream()
                        .mapToLong(e -> e.path("details").path("blocked_in").asLong()).sum();
                long out = Cli.events(at, "firewall.blocked").stream()
                        .mapToLong(e -> e.path("details").path("blocked_out").asLong()).sum();
                assertThat(in).as("SYN and its retransmissions, counted").isPositive();
                assertThat(out).isPositive();
                assertThat(agent.process().isAlive()).isTrue();
            } finally {
                agent.process().destroy();
                agent.process().waitFor(30, TimeUnit.SECONDS);
                declared.destroy();
                undeclared.destroy();
            }
        }
    }

    private static JsonNode blocked(String[] at) {
        return Cli.events(at, "firewall.blocked").stream().filter(e -> e.path("device").asText().equals("fw-1"))
                .filter(e -> e.path("details").path("samples").asText().contains(":9090 (in)"))
                .findFirst().orElse(null);
    }

    /** A TCP listener on {@code port} inside the device's namespace. */
    private static Process service(IsolatedNetwork network, int port) throws Exception {
        Process process = new ProcessBuilder(IsolatedNetwork.in(network.clients, List.of("/usr/bin/python3", "-c",
                "import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                        + "s.bind(('" + IsolatedNetwork.CLIENT + "', " + port + "))\ns.listen()\nprint('listening', flush=True)\n"
                        + "while True:\n c,_=s.accept()\n c.close()"))).redirectErrorStream(true).start();
        assertThat(new String(process.getInputStream().readNBytes(9))).isEqualTo("listening");
        return process;
    }

    private static String connect(List<String> prefix, String host, int port) throws Exception {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("/usr/bin/python3", "-c", "import socket\ntry:\n socket.create_connection(('" + host
                + "', " + port + "), timeout=3)\n print('connected')\nexcept OSError as e:\n print('failed', e)"));
        return Processes.run(command).output().strip();
    }
}
