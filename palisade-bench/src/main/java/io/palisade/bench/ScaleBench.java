package io.palisade.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Scale-out on one machine: the same devices publishing through one gateway process, then spread over two, into
 * the same Mosquitto (closed loop, one plain subscriber), alternating runs; printed as messages per second with
 * every process's CPU beside it and the ratio two/one. On a machine whose cores one gateway already fills, the
 * ratio says what a second process costs or gains there, not what a second machine would add: the CPU columns
 * say which it is.
 */
final class ScaleBench {

    private ScaleBench() {
    }

    static void run(int deviceCount) throws Exception {
        int repeats = Integer.getInteger("repeats", 3);
        int seconds = Integer.getInteger("seconds", 15);
        int warmup = Integer.getInteger("warmup", 5);
        int window = Integer.getInteger("window", 8);
        int qos = Integer.getInteger("qos", 1);
        int payload = Integer.getInteger("payload", 256);
        Path dir = Files.createTempDirectory("palisade-bench-scale");
        BenchPki pki = new BenchPki(dir);
        List<Path> devices = pki.enrollDevices(deviceCount);
        String upstreamMode = System.getProperty("upstream", "tls-lanes"); // as GatewayBench: tls-mux, plain, ...
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             ForkedGateway first = new ForkedGateway(gatewayDir(dir, 0), GatewayBench.upstream(upstreamMode, mosquitto),
                     GatewayProcess.Quotas.UNTHROTTLED, true);
             ForkedGateway second = new ForkedGateway(gatewayDir(dir, 1), GatewayBench.upstream(upstreamMode, mosquitto),
                     GatewayProcess.Quotas.UNTHROTTLED, true);
             ClosedLoopLoad load = new ClosedLoopLoad(2)) {
            System.out.println("== " + deviceCount + " devices publishing QoS " + qos + ", " + payload + " B, through"
                    + " 1 gateway process, then 2 (devices split evenly), into one Mosquitto; closed loop of " + window
                    + ", " + seconds + " s runs, median of " + repeats + " alternating; upstream " + upstreamMode + " ==");
            int[] one = {first.port()};
            int[] two = {first.port(), second.port()};
            load.run(devices, "localhost", one, mosquitto.plainPort, qos, payload, window, 2, 3);
            load.run(devices, "localhost", two, mosquitto.plainPort, qos, payload, window, 2, 3);
            List<ClosedLoopLoad.Result> single = new ArrayList<>();
            List<ClosedLoopLoad.Result> pair = new ArrayList<>();
            long[] pids = {first.pid(), second.pid(), mosquitto.pid()};
            for (int i = 0; i < repeats; i++) {
                single.add(load.run(devices, "localhost", one, mosquitto.plainPort, qos, payload, window, warmup,
                        seconds, pids));
                pair.add(load.run(devices, "localhost", two, mosquitto.plainPort, qos, payload, window, warmup,
                        seconds, pids));
            }
            System.out.printf("%-12s %10s %7s %7s %7s %7s %7s %7s%n", "gateways", "msgs/s", "p99 ms", "gw1 %", "gw2 %",
                    "mosq %", "gen %", "ratio");
            ClosedLoopLoad.Result a = GatewayBench.median(single);
            ClosedLoopLoad.Result b = GatewayBench.median(pair);
            print("1", a, 1.0);
            print("2", b, b.perSecond() / a.perSecond());
            System.out.println("(CPU in % of one core over the measured window; this machine has "
                    + Runtime.getRuntime().availableProcessors() + " cores for the gateways, Mosquitto and the"
                    + " generator together)");
            System.out.println();
        }
    }

    private static void print(String label, ClosedLoopLoad.Result result, double ratio) {
        System.out.printf("%-12s %10.0f %7.1f %7.0f %7.0f %7.0f %7.0f %6.2fx%n", label, result.perSecond(),
                result.p99Micros() / 1000.0, result.watchedCpu()[0], result.watchedCpu()[1], result.watchedCpu()[2],
                result.generatorCpu(), ratio);
    }

    /** A directory of its own for gateway {@code n} (its log), holding the registry, server key, chain and CA. */
    static Path gatewayDir(Path dir, int n) throws IOException {
        Path own = Files.createDirectories(dir.resolve("gateway-" + n));
        for (String file : List.of("bench.db", "server.key", "server-chain.pem", "ca.pem")) {
            Files.copy(dir.resolve(file), own.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        return own;
    }
}
