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
        System.out.println("== Modbus/TCP firewall: read 16 holding registers, through Palisade vs straight to the PLC"
                + " (pymodbus 3.0) ==");
        ModbusProxy proxy = null;
        try {
            awaitListening(plcPort, plc);
            ModbusFirewall firewall = new ModbusFirewall(System::nanoTime);
            firewall.replaceRules(List.of(ModbusRule.fromJson("bench", new ObjectMapper().readTree("{\"sources\":"
                    + " [\"127.0.0.1\"], \"units\": \"1\", \"functions\": [3], \"ranges\": {\"holding-registers\":"
                    + " \"0-99\"}}"))));
            proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.single(
                    new InetSocketAddress("127.0.0.1", plcPort)), firewall, event -> { }, RefusalMode.EXCEPTION,
                    new BlockedAddresses(event -> { }, Clock.systemUTC()), Clock.systemUTC());
            for (int concurrency : new int[] {1, clients}) {
                Result direct = measure(plcPort, concurrency, plc.pid());
                Result through = measure(proxy.port(), concurrency, plc.pid());
                System.out.printf("  %d connection%s: direct %,.0f req/s p50 %.2f ms p99 %.2f ms (PLC %.0f%% CPU)  |  through"
                                + " Palisade %,.0f req/s p50 %.2f ms p99 %.2f ms (PLC %.0f%% CPU)  |  ratio %.2fx, %+.2f ms p50%n",
                        concurrency, concurrency == 1 ? "" : "s", direct.perSecond(), direct.p50Millis(),
                        direct.p99Millis(), direct.plcCpu() * 100, through.perSecond(), through.p50Millis(),
                        through.p99Millis(), through.plcCpu() * 100, through.perSecond() / direct.perSecond(),
                        through.p50Millis() - direct.p50Millis());
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            plc.destroy();
            plc.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.println();
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
