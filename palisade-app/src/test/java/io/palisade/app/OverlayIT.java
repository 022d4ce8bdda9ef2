package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.testing.ModbusPlc;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation overlay end to end, in network namespaces: a pymodbus PLC on a segment only Palisade's host can
 * reach, a client network where an engineering workstation (an enrolled device) runs {@code palisade tunnel open}
 * and {@code mbpoll}. A direct connection fails; the tunnel works with a grant and both ends healthy; revoking the
 * grant cuts an open tunnel within a second; a quarantined host gets no tunnel and a quarantined client loses its own;
 * each tunnel is recorded with its bytes, and Modbus inside is decoded.
 */
class OverlayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOCAL_PORT = 15020;

    @TempDir
    Path dir;

    @Test
    void only_granted_healthy_systems_reach_the_isolated_plc_and_revocation_cuts_at_once() throws Exception {
        assumeTrue(IsolatedNetwork.available(), "network namespaces need root");
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        int overlayPort = PalisadeProcess.freePort();
        try (IsolatedNetwork network = IsolatedNetwork.create();
             ModbusPlc plc = ModbusPlc.start(dir, List.of("ip", "netns", "exec", network.segment),
                     IsolatedNetwork.HOST, 502);
             PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                     PalisadeProcess.freePort(), List.of("--bind", "0.0.0.0", "--overlay-port",
                             Integer.toString(overlayPort), "--hostname", IsolatedNetwork.GATEWAY))) {
            assertThat(palisade.output()).contains("overlay        port " + overlayPort);
            Path workstation = enroll(at, "ws-1");
            assertThat(cli(at, "device", "add", "plc-1", "--profile", "legacy").exitCode()).isZero();

            Processes.Result direct = Processes.run(IsolatedNetwork.in(network.clients, List.of("/usr/bin/python3", "-c",
                    "import socket\ntry:\n socket.create_connection(('" + IsolatedNetwork.HOST + "', 502), timeout=3)\n"
                            + " print('connected')\nexcept OSError as e:\n print('failed', e)")));
            assertThat(direct.output()).as("the PLC cannot be reached from the client network").startsWith("failed");

            Cli.Result noHost = cli(at, "overlay", "grant", "ws-1", "plc-1:502", "--ttl", "1h", "--reason", "x");
            assertThat(noHost.exitCode()).isNotZero();
            assertThat(noHost.err()).contains("plc-1 has no overlay address");
            assertThat(cli(at, "overlay", "host", "set", "plc-1", IsolatedNetwork.HOST).exitCode()).isZero();
            Processes.Result ungranted = tunnel(network, workstation, overlayPort).finish();
            assertThat(ungranted.exitCode()).isNotZero();
            assertThat(ungranted.output()).contains("403 Forbidden: ws-1 has no grant for plc-1:502");

            String grant = grant(at);
            assertThat(openssl(workstation, overlayPort)).as("openssl s_client speaks the tunnel protocol too")
                    .startsWith("HTTP/1.1 200 Connection Established\r\n\r\n")
                    .endsWith("\u0000\u0007\u0000\u0000\u0000\u0007"
                            + "\u0001\u0003\u0004\u0000\u0000\u0000\u0001");
            try (Tunnel open = tunnel(network, workstation, overlayPort).awaitOpen()) {
                Processes.Result read = mbpoll(network, "-r", "1", "-c", "2");
                assertThat(read.output()).contains("[1]: \t0").contains("[2]: \t1");
                assertThat(mbpoll(network, "-r", "6", "--", "4321").output()).contains("Written 1 references");
                assertThat(mbpoll(network, "-r", "6").output()).as("the write reached the PLC").contains("[6]: \t4321");

                // Revocation cuts the open tunnel within a second (the poller notes when its connection ended).
                Poller poller = Poller.start(network, dir);
                long revoked = System.currentTimeMillis();
                assertThat(cli(at, "overlay", "revoke", grant).exitCode()).isZero();
                long closedAt = poller.closedAt();
                System.out.println("overlay: an open tunnel was cut " + (closedAt - revoked) + " ms after the revoke command started");
                assertThat(closedAt - revoked).as("tunnel cut after revocation (ms)").isLessThan(1000);
                assertThat(mbpoll(network, "-r", "1").output()).as("no new tunnel on a revoked grant")
                        .doesNotContain("[1]:");
            }

            // A quarantined host gets no tunnel (TNC: the health of both ends), a quarantined client loses its own.
            grant(at);
            assertThat(cli(at, "device", "quarantine", "plc-1", "--reason", "odd firmware").exitCode()).isZero();
            Processes.Result sick = tunnel(network, workstation, overlayPort).finish();
            assertThat(sick.output()).contains("the host plc-1 is quarantined");
            assertThat(cli(at, "device", "release", "plc-1").exitCode()).isZero();
            try (Tunnel open = tunnel(network, workstation, overlayPort).awaitOpen()) {
                Poller poller = Poller.start(network, dir);
                long quarantined = System.currentTimeMillis();
                assertThat(cli(at, "device", "quarantine", "ws-1", "--reason", "malware on the workstation")
                        .exitCode()).isZero();
                assertThat(poller.closedAt() - quarantined).as("tunnel cut after quarantine (ms)").isLessThan(1000);
            }

            // An operator as the subject: a one-hour certificate asked for with her API token, for her own grant;
            // removing her cuts her tunnel.
            assertThat(cli(at, "operator", "add", "olga", "--role", "viewer", "--json").exitCode()).isZero();
            Cli.Result token = cli(at, "operator", "token", "olga", "--label", "tunnel", "--ttl", "1d", "--json");
            assertThat(token.exitCode()).as(token.err()).isZero();
            Path tokenFile = dir.resolve("olga.token");
            Files.writeString(tokenFile, JSON.readTree(token.out()).path("token").asText());
            Processes.Result notGranted = operatorTunnel(network, data, tokenFile, overlayPort).finish();
            assertThat(notGranted.output()).contains("operator:olga has no grant for plc-1:502");
            Cli.Result granted = cli(at, "overlay", "grant", "operator:olga", "plc-1:502", "--ttl", "30m", "--reason",
                    "read the alarm log");
            assertThat(granted.exitCode()).as(granted.err()).isZero();
            try (Tunnel open = operatorTunnel(network, data, tokenFile, overlayPort).awaitOpen()) {
                assertThat(mbpoll(network, "-r", "1", "-c", "2").output()).contains("[1]: \t0");
                Poller poller = Poller.start(network, dir);
                long removed = System.currentTimeMillis();
                assertThat(cli(at, "operator", "remove", "olga").exitCode()).isZero();
                assertThat(poller.closedAt() - removed).as("tunnel cut after the operator's removal (ms)")
                        .isLessThan(1000);
            }
            assertThat(events(at, "cert.issued")).anySatisfy(e -> {
                assertThat(e.path("details").path("operator").asText()).isEqualTo("olga");
                assertThat(e.path("details").path("purpose").asText()).isEqualTo("overlay");
            });

            // The record: every tunnel with who, bytes each way, duration and why it ended; Modbus decoded.
            List<JsonNode> closed = events(at, "overlay.session").stream()
                    .filter(e -> e.path("details").path("phase").asText().equals("closed")).toList();
            assertThat(closed).anySatisfy(e -> {
                assertThat(e.path("details").path("reason").asText()).startsWith("grant " + grant + " revoked by");
                assertThat(e.path("details").path("bytes_up").asLong()).isPositive();
                assertThat(e.path("details").path("bytes_down").asLong()).isPositive();
                assertThat(e.path("details").path("duration_ms").asLong()).isPositive();
                assertThat(e.path("device").asText()).isEqualTo("ws-1");
                assertThat(e.path("source").asText()).isEqualTo(IsolatedNetwork.CLIENT);
            });
            assertThat(closed).anySatisfy(e -> assertThat(e.path("details").path("reason").asText())
                    .isEqualTo("device ws-1 quarantined"));
            assertThat(closed).anySatisfy(e -> {
                assertThat(e.path("details").path("reason").asText()).isEqualTo("operator olga removed");
                assertThat(e.path("details").path("subject").asText()).isEqualTo("operator:olga");
            });
            assertThat(closed).anySatisfy(e -> assertThat(e.path("details").path("modbus_functions").asText())
                    .isEqualTo("6:1"));
            assertThat(events(at, "modbus.request")).anySatisfy(e -> {
                assertThat(e.path("details").path("function").asText()).isEqualTo("6");
                assertThat(e.path("details").path("access").asText()).isEqualTo("write holding-registers 5");
                assertThat(e.path("device").asText()).isEqualTo("ws-1");
            });
            assertThat(events(at, "acl.denied")).anySatisfy(e -> {
                assertThat(e.path("details").path("reason").asText()).isEqualTo("the host plc-1 is quarantined");
                assertThat(e.path("device").asText()).isEqualTo("ws-1");
            });
        }
    }

    private String grant(String[] at) throws Exception {
        Cli.Result granted = cli(at, "overlay", "grant", "ws-1", "plc-1:502", "--ttl", "1h", "--reason",
                "firmware check on line 3", "--json");
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        return JSON.readTree(granted.out()).path("id").asText();
    }

    /**
     * {@code CONNECT plc-1:502} and one Modbus read (holding registers 0-1, transaction 7) through {@code openssl
     * s_client} with the workstation's certificate: the answer as text (the HTTP head, then the Modbus bytes).
     */
    private static String openssl(Path identity, int overlayPort) throws Exception {
        Process client = new ProcessBuilder("openssl", "s_client", "-quiet", "-verify_return_error", "-connect",
                "127.0.0.1:" + overlayPort, "-cert", identity.resolve("cert.pem").toString(), "-key",
                identity.resolve("key.pem").toString(), "-CAfile", identity.resolve("ca.pem").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        client.getOutputStream().write("CONNECT plc-1:502 HTTP/1.1\r\nHost: plc-1:502\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
        client.getOutputStream().write(java.util.HexFormat.of().parseHex("000700000006010300000002"));
        client.getOutputStream().flush();
        byte[] answer = new byte[39 + 13];
        int read = client.getInputStream().readNBytes(answer, 0, answer.length);
        client.destroy();
        return new String(answer, 0, read, StandardCharsets.ISO_8859_1);
    }

    private static Processes.Result mbpoll(IsolatedNetwork network, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("mbpoll", "-m", "tcp", "-a", "1", "-t", "4", "-1", "-o", "2",
                "-p", Integer.toString(LOCAL_PORT)));
        List<String> rest = new ArrayList<>(List.of(arguments));
        int values = rest.indexOf("--");
        List<String> written = values < 0 ? List.of() : rest.subList(values + 1, rest.size());
        command.addAll(values < 0 ? rest : rest.subList(0, values));
        command.add("127.0.0.1");
        command.addAll(written);
        return Processes.run(IsolatedNetwork.in(network.clients, command));
    }

    /** {@code palisade tunnel open} in the client network, as a separate process. */
    private static Tunnel tunnel(IsolatedNetwork network, Path identity, int overlayPort) throws Exception {
        List<String> command = IsolatedNetwork.in(network.clients, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "tunnel", "open", "plc-1:502", "--local",
                "127.0.0.1:" + LOCAL_PORT, "--identity", identity.toString(), "--gateway",
                IsolatedNetwork.GATEWAY + ":" + overlayPort));
        return new Tunnel(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** {@code palisade tunnel open} in the client network as an operator: her token, no device certificate. */
    private static Tunnel operatorTunnel(IsolatedNetwork network, Path data, Path tokenFile, int overlayPort)
            throws Exception {
        List<String> command = IsolatedNetwork.in(network.clients, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "tunnel", "open", "plc-1:502", "--local",
                "127.0.0.1:" + LOCAL_PORT, "--data", data.toString(), "--token-file", tokenFile.toString(),
                "--gateway", IsolatedNetwork.GATEWAY + ":" + overlayPort));
        return new Tunnel(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A running {@code tunnel open}: its output line by line. */
    private static final class Tunnel implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder output = new StringBuilder();

        Tunnel(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // ended
                }
            }, "tunnel-output");
            reader.setDaemon(true);
            reader.start();
        }

        Tunnel awaitOpen() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith("tunnel to plc-1:502 open on")) {
                    return this;
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("tunnel open did not open: " + output());
        }

        Processes.Result finish() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tunnel open did not end: " + output());
            }
            Thread.sleep(100); // the reader's last lines
            return new Processes.Result(process.exitValue(), output());
        }

        String output() {
            synchronized (output) {
                return output.toString();
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** {@code modbus-poller.py} in the client network, through the tunnel: answers when its connection ended. */
    private record Poller(Process process, BufferedReader out) {

        static Poller start(IsolatedNetwork network, Path dir) throws Exception {
            Path script = dir.resolve("modbus-poller.py");
            try (InputStream in = OverlayIT.class.getResourceAsStream("modbus-poller.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process process = new ProcessBuilder(IsolatedNetwork.in(network.clients, List.of("/usr/bin/python3",
                    script.toString(), Integer.toString(LOCAL_PORT)))).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the poller's first read answered through the tunnel").isEqualTo("answered");
            return new Poller(process, out);
        }

        long closedAt() throws Exception {
            String line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return "failed " + e;
                }
            }).get(20, TimeUnit.SECONDS);
            process.destroy();
            assertThat(line).startsWith("closed ");
            return Long.parseLong(line.substring("closed ".length()));
        }
    }

    private Path enroll(String[] at, String id) throws Exception {
        return Cli.enroll(at, id, dir.resolve(id));
    }

    private static List<JsonNode> events(String[] at, String type) {
        return Cli.events(at, type);
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
