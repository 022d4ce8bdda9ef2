package io.palisade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's data path against Mosquitto's own TLS listener (client certificates + ACL), same
 * devices, same load, same run: QoS 0 and 1, 256 B and 4 KiB. Palisade's path is device → Palisade
 * (mTLS, identity, ACL, quota) → Mosquitto; the peer's path is device → Mosquitto (mTLS, ACL).
 */
final class GatewayBench {

    private GatewayBench() {
    }

    /** Parses "QOS:BYTES:MESSAGES_PER_DEVICE,..." (system property gatewayLoads) into load rows. */
    static int[][] loads(String spec) {
        String[] items = spec.split(",");
        int[][] loads = new int[items.length][];
        for (int i = 0; i < items.length; i++) {
            String[] parts = items[i].trim().split(":");
            loads[i] = new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
        }
        return loads;
    }

    /** Runs per path and load; the median run is reported, as single runs vary a lot on a shared 2-core machine. */
    static final int REPEATS = 3;

    static void run(int deviceCount) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-gw");
        BenchPki pki = new BenchPki(dir);
        List<Path> devices = pki.enrollDevices(deviceCount);
        // The gateway runs in its own JVM, as `palisade up` does: the load generator's 100 client threads
        // and its garbage collections stay out of the measured process, as they stay out of Mosquitto.
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             ForkedGateway gateway = new ForkedGateway(dir, mosquitto.plainPort, GatewayProcess.Quotas.UNTHROTTLED)) {
            System.out.println("== MQTT publish through Palisade vs straight into Mosquitto's mTLS listener ("
                    + deviceCount + " devices, median of " + REPEATS + " alternating runs) ==");
            System.out.printf("%-14s %11s %8s %8s %6s %12s %8s %8s %6s %10s %9s%n", "load", "Palisade/s",
                    "p50 ms", "p99 ms", "lost", "Mosquitto/s", "p50 ms", "p99 ms", "lost", "thru ratio", "p99 ratio");
            // One warm-up run on each path first (JIT; every run makes new handshakes).
            MqttLoad.run(pki, devices, "localhost", gateway.port(), mosquitto.plainPort, 1, 256, 50);
            MqttLoad.run(pki, devices, "localhost", mosquitto.tlsPort, mosquitto.plainPort, 1, 256, 50);
            int[][] loads = loads(System.getProperty("gatewayLoads", "0:256:500,1:256:300,0:4096:200,1:4096:200"));
            for (int[] load : loads) {
                List<MqttLoad.Result> palisadeRuns = new ArrayList<>();
                List<MqttLoad.Result> peerRuns = new ArrayList<>();
                for (int i = 0; i < REPEATS; i++) {
                    palisadeRuns.add(MqttLoad.run(pki, devices, "localhost", gateway.port(), mosquitto.plainPort,
                            load[0], load[1], load[2]));
                    peerRuns.add(MqttLoad.run(pki, devices, "localhost", mosquitto.tlsPort, mosquitto.plainPort,
                            load[0], load[1], load[2]));
                }
                MqttLoad.Result palisade = median(palisadeRuns);
                MqttLoad.Result peer = median(peerRuns);
                System.out.printf("%-14s %11.0f %8.1f %8.1f %6d %12.0f %8.1f %8.1f %6d %9.2fx %8.2fx%n",
                        "QoS " + load[0] + ", " + load[1] + " B", palisade.messagesPerSecond(), palisade.p50Millis(),
                        palisade.p99Millis(), palisade.sent() - palisade.received(), peer.messagesPerSecond(),
                        peer.p50Millis(), peer.p99Millis(), peer.sent() - peer.received(),
                        palisade.messagesPerSecond() / peer.messagesPerSecond(), palisade.p99Millis() / peer.p99Millis());
            }
            System.out.println("(QoS 1: acknowledged publishes/s and PUBLISH-to-PUBACK latency; QoS 0: arrivals/s at one"
                    + " subscriber and send-to-arrival latency; lost: sent but not seen by the subscriber in time)");
            System.out.println();
        }
    }

    /** The run with the median throughput (its latencies are reported with it, so a row is one real run). */
    static MqttLoad.Result median(List<MqttLoad.Result> runs) {
        List<MqttLoad.Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(MqttLoad.Result::messagesPerSecond));
        return sorted.get(sorted.size() / 2);
    }
}
