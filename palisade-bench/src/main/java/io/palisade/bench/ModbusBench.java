package io.palisade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.modbus.ModbusFirewall;
import io.palisade.core.modbus.ModbusRule;
import io.palisade.legacy.modbus.BlockedAddresses;
import io.palisade.legacy.modbus.ModbusProxy;
import io.palisade.legacy.modbus.PlcRoutes;
import io.palisade.legacy.modbus.RefusalMode;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Modbus/TCP requests through the firewall proxy beside the same requests straight to the PLC (the peer): pymodbus
 * 3.0 as the PLC, read holding registers 0-9 of unit 1 in a closed loop on {@code clients} connections for
 * {@code modbusSeconds}. Reports requests/s and latency both ways and the PLC's CPU: while the PLC is saturated the
 * rates are the PLC's, and the latency difference is what the proxy adds (framing, parsing, the rule, a second hop).
 */
final class ModbusBench {

    private static final double SECONDS = Double.parseDouble(System.getProperty("modbusSeconds", "8"));
    private static final byte[] READ = java.util.HexFormat.of().parseHex("000100000006010300000010");

    private ModbusBench() {
    }

    record Result(double perSecond, double p50Millis, double p99Millis, double plcCpu) {
    }

    static void run(int clients) throws Exception {
        Path root = Path.of(System.getProperty("palisade.root", ".")).toAbsolutePath().normalize();
        Path script = root.resolve("palisade-core/src/test/resources/io/palisade/core/testing/modbus-plc.py");
        int plcPort = CliBench.freePort();
        Process plc = new ProcessBuilder("/usr/bin/python3", script.toString(), Integer.toString(plcPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        System.out.println("== Modbus/TCP firewall and overlay tunnel: read 16 holding registers, through Palisade vs"
                + " straight to the PLC (pymodbus 3.0) ==");
        ModbusProxy proxy = null;
        Path dir = java.nio.file.Files.createTempDirectory("palisade-modbus-bench");
        Process palisade = null;
        io.palisade.legacy.overlay.TunnelClient tunnel = null;
        try {
            awaitListening(plcPort, plc);
            ModbusFirewall firewall = new ModbusFirewall(System::nanoTime);
            firewall.replaceRules(List.of(ModbusRule.fromJson("bench", new ObjectMapper().readTree("{\"sources\":"
                    + " [\"127.0.0.1\"], \"units\": \"1\", \"functions\": [3], \"ranges\": {\"holding-registers\":"
                    + " \"0-99\"}}"))));
            proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.single(
                    new InetSocketAddress("127.0.0.1", plcPort)), firewall, event -> { }, RefusalMode.EXCEPTION,
                    new BlockedAddresses(event -> { }, Clock.systemUTC()), Clock.systemUTC());
            int overlayPort = CliBench.freePort();
            palisade = CliBench.start(List.of(root.resolve("palisade").toString(), "up", "--data",
                    dir.resolve("data").toString(), "--bind", "127.0.0.1", "--https-port",
                    Integer.toString(CliBench.freePort()), "--mqtt-port", Integer.toString(CliBench.freePort()),
                    "--overlay-port", Integer.toString(overlayPort)));
            tunnel = openTunnel(root, dir, plcPort, overlayPort);
            for (int concurrency : new int[] {1, clients}) {
                Result direct = measure(plcPort, concurrency, plc.pid());
                Result through = measure(proxy.port(), concurrency, plc.pid());
                Result tunnelled = measure(tunnel.localPort(), concurrency, plc.pid());
                System.out.printf("  %d connection%s: direct %,.0f req/s p50 %.2f ms p99 %.2f ms (PLC %.0f%% CPU)%n",
                        concurrency, concurrency == 1 ? "" : "s", direct.perSecond(), direct.p50Millis(),
                        direct.p99Millis(), direct.plcCpu() * 100);
                print("firewall", through, direct);
                print("tunnel (tunnel open + mTLS + overlay)", tunnelled, direct);
            }
        } finally {
            if (tunnel != null) {
                tunnel.close();
            }
            if (palisade != null) {
                CliBench.stop(palisade);
            }
            if (proxy != null) {
                proxy.close();
            }
            plc.destroy();
            plc.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.println();
    }

    private static void print(String path, Result through, Result direct) {
        System.out.printf("      through the %s: %,.0f req/s p50 %.2f ms p99 %.2f ms (PLC %.0f%% CPU)  |  ratio %.2fx,"
                        + " %+.2f ms p50, %+.2f ms p99%n", path, through.perSecond(), through.p50Millis(),
                through.p99Millis(), through.plcCpu() * 100, through.perSecond() / direct.perSecond(),
                through.p50Millis() - direct.p50Millis(), through.p99Millis() - direct.p99Millis());
    }

    /**
     * As an operator would: an engineering workstation enrolled, the PLC registered as an overlay host, a grant, and
     * the tunnel client ({@code palisade tunnel open}'s code) listening on a local port.
     */
    private static io.palisade.legacy.overlay.TunnelClient openTunnel(Path root, Path dir, int plcPort, int overlayPort)
            throws Exception {
        String palisade = root.resolve("palisade").toString();
        String data = dir.resolve("data").toString();
        String token = new ObjectMapper().readTree(output(palisade, "device", "add", "ws-1", "--json", "--data", data))
                .path("enrollment_token").asText();
        Path identity = dir.resolve("ws-1");
        output(palisade, "device", "enroll", "ws-1", "--token", token, "--out", identity.toString(), "--data", data);
        output(palisade, "device", "add", "plc-1", "--data", data);
        output(palisade, "overlay", "host", "set", "plc-1", "127.0.0.1", "--modbus-port", Integer.toString(plcPort),
                "--data", data);
        output(palisade, "overlay", "grant", "ws-1", "plc-1:" + plcPort, "--ttl", "1h", "--reason", "benchmark",
                "--data", data);
        javax.net.ssl.SSLContext tls = io.palisade.pki.TlsContexts.client(
                io.palisade.pki.Pem.readCertificates(identity.resolve("ca.pem")), java.util.Optional.of(
                        new io.palisade.pki.TlsContexts.ClientIdentity(io.palisade.pki.Pem.readPrivateKey(
                                identity.resolve("key.pem")), io.palisade.pki.Pem.readCertificates(
                                identity.resolve("cert.pem")))));
        io.palisade.legacy.overlay.TunnelClient tunnel = io.palisade.legacy.overlay.TunnelClient.open(
                new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", overlayPort), tls,
                io.palisade.legacy.overlay.ConnectRequest.target("plc-1:" + plcPort), message -> { });
        java.util.Optional<String> refused = tunnel.probe();
        if (refused.isPresent()) {
            throw new IllegalStateException("the benchmark's tunnel was refused: " + refused.get());
        }
        return tunnel;
    }

    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static Result measure(int port, int concurrency, long plcPid) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            loop(pool, port, concurrency, 2); // warm-up
            long cpuBefore = CpuTicks.ofTree(plcPid);
            long start = System.nanoTime();
            List<Long> latencies = loop(pool, port, concurrency, SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = (CpuTicks.ofTree(plcPid) - cpuBefore) / (double) CpuTicks.PER_SECOND / elapsed;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(sorted.length / elapsed, sorted[sorted.length / 2] / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, cpu);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> loop(ExecutorService pool, int port, int concurrency, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            futures.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(5000);
                    OutputStream out = socket.getOutputStream();
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    byte[] answer = new byte[9 + 32];
                    while (System.nanoTime() < end) {
                        long began = System.nanoTime();
                        out.write(READ);
                        out.flush();
                        in.readFully(answer);
                        latencies.add(System.nanoTime() - began);
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get());
        }
        return all;
    }

    private static void awaitListening(int port, Process plc) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (!plc.isAlive()) {
                    throw new IllegalStateException("pymodbus did not start (apt-get install python3-pymodbus"
                            + " python3-serial python3-serial-asyncio)");
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pymodbus did not listen within 20 s");
    }
}
