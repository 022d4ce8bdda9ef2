package io.palisade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The gateway's data path against Mosquitto's own mTLS listener (client certificates + ACL): same devices,
 * same load generator ({@link ClosedLoopLoad}), same run, alternating: QoS 0 and 1, 256 B and 4 KiB, at the
 * highest rate each path sustains (closed loop). Palisade's path is device → Palisade (mTLS, identity,
 * policy, quota, detection) → Mosquitto; the peer's path is device → Mosquitto (mTLS, ACL).
 *
 * <p>Palisade reaches Mosquitto as {@code palisade up --upstream} would be configured for throughput:
 * {@code mqtts://...?lanes=qos0} by default (system property {@code upstream}: {@code tls-lanes}, {@code tls},
 * {@code plain-lanes}, {@code plain}). Mosquitto reads a plain socket a few bytes per system call, and a TLS
 * socket a record at a time, so a TLS upstream costs Mosquitto less than a plain one.
 *
 * <p>With {@code -DmqttLoadJar=PATH} (the independent generator of {@code ../shared/tools/mqtt-load}), the
 * Mosquitto path is also loaded by it in the same run: the two generators' Mosquitto figures side by side
 * show whether this one can saturate the peer.
 */
final class GatewayBench {

    private GatewayBench() {
    }

    /** Parses "QOS:BYTES,..." (system property gatewayLoads) into load rows. */
    static int[][] loads(String spec) {
        String[] items = spec.split(",");
        int[][] loads = new int[items.length][];
        for (int i = 0; i < items.length; i++) {
            String[] parts = items[i].trim().split(":");
            loads[i] = new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        return loads;
    }

    static void run(int deviceCount) throws Exception {
        int repeats = Integer.getInteger("repeats", 3);
        int seconds = Integer.getInteger("seconds", 15);
        int warmup = Integer.getInteger("warmup", 5);
        int window = Integer.getInteger("window", 8);
        String upstreamMode = System.getProperty("upstream", "tls-lanes");
        Path dir = Files.createTempDirectory("palisade-bench-gw");
        BenchPki pki = new BenchPki(dir);
        List<Path> devices = pki.enrollDevices(deviceCount);
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             ForkedGateway gateway = new ForkedGateway(dir, upstream(upstreamMode, mosquitto),
                     GatewayProcess.Quotas.UNTHROTTLED, true);
             ClosedLoopLoad load = new ClosedLoopLoad(2)) {
            System.out.println("== MQTT publish through Palisade (detection on, upstream " + upstreamMode
                    + ") vs straight into Mosquitto's mTLS listener: " + deviceCount + " devices, closed loop of "
                    + window + " per device, " + seconds + " s runs, median of " + repeats + " alternating ==");
            System.out.printf("%-14s %10s %7s %10s %7s %7s %11s %7s %7s %6s %6s %8s%n", "load", "Palisade/s", "p99 ms",
                    "gateway %", "mosq %", "gen %", "Mosquitto/s", "p99 ms", "mosq %", "gen %", "ratio", "µs/msg");
            // Warm-up on each path (JIT, handshakes).
            load.run(devices, "localhost", gateway.port(), mosquitto.plainPort, 1, 256, window, 2, 3);
            load.run(devices, "localhost", mosquitto.tlsPort, mosquitto.plainPort, 1, 256, window, 2, 3);
            for (int[] row : loads(System.getProperty("gatewayLoads", "0:256,1:256,0:4096,1:4096"))) {
                List<ClosedLoopLoad.Result> palisadeRuns = new ArrayList<>();
                List<ClosedLoopLoad.Result> peerRuns = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    palisadeRuns.add(load.run(devices, "localhost", gateway.port(), mosquitto.plainPort, row[0], row[1],
                            window, warmup, seconds, gateway.pid(), mosquitto.pid()));
                    peerRuns.add(load.run(devices, "localhost", mosquitto.tlsPort, mosquitto.plainPort, row[0], row[1],
                            window, warmup, seconds, mosquitto.pid()));
                }
                ClosedLoopLoad.Result palisade = median(palisadeRuns);
                ClosedLoopLoad.Result peer = median(peerRuns);
                // CPU per message of each path's servers (gateway + Mosquitto, or Mosquitto), in µs
                double palisadeMicros = (palisade.watchedCpu()[0] + palisade.watchedCpu()[1]) * 1e4 / palisade.perSecond();
                double peerMicros = peer.watchedCpu()[0] * 1e4 / peer.perSecond();
                System.out.printf("%-14s %10.0f %7.1f %10.0f %7.0f %7.0f %11.0f %7.1f %7.0f %6.0f %5.2fx %3.1f/%3.1f%n",
                        "QoS " + row[0] + ", " + row[1] + " B", palisade.perSecond(), palisade.p99Micros() / 1000.0,
                        palisade.watchedCpu()[0], palisade.watchedCpu()[1], palisade.generatorCpu(), peer.perSecond(),
                        peer.p99Micros() / 1000.0, peer.watchedCpu()[0], peer.generatorCpu(),
                        palisade.perSecond() / peer.perSecond(), palisadeMicros, peerMicros);
                String independent = System.getProperty("mqttLoadJar");
                if (independent != null) {
                    System.out.printf("%-14s %s%n", "", IndependentGenerator.run(Path.of(independent), dir, deviceCount,
                            mosquitto, row[0], row[1], window, warmup, seconds));
                }
            }
            System.out.println("(msgs/s: arrivals at one plain subscriber, closed loop; CPU in % of one core over the"
                    + " measured window: gateway, Mosquitto (behind Palisade, or alone), this generator; µs/msg: server"
                    + " CPU per message, Palisade path / Mosquitto path)");
            System.out.println();
        }
    }

    static String upstream(String mode, MosquittoPeer mosquitto) {
        return switch (mode) {
            case "tls-lanes" -> "mqtts://localhost:" + mosquitto.upstreamTlsPort + "?lanes=qos0";
            case "tls" -> "mqtts://localhost:" + mosquitto.upstreamTlsPort;
            case "plain-lanes" -> "mqtt://127.0.0.1:" + mosquitto.plainPort + "?lanes=qos0";
            case "plain" -> "mqtt://127.0.0.1:" + mosquitto.plainPort;
            case "tls-mux" -> "mqtts://localhost:" + mosquitto.upstreamTlsPort + "?mux=1";
            case "plain-mux" -> "mqtt://127.0.0.1:" + mosquitto.plainPort + "?mux=1";
            default -> throw new IllegalArgumentException("-Dupstream must be tls-lanes, tls, plain-lanes, plain, tls-mux"
                    + " or plain-mux, not " + mode);
        };
    }

    /** The run with the median throughput (its latencies are reported with it, so a row is one real run). */
    static ClosedLoopLoad.Result median(List<ClosedLoopLoad.Result> runs) {
        List<ClosedLoopLoad.Result> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(ClosedLoopLoad.Result::perSecond));
        return sorted.get(sorted.size() / 2);
    }
}
