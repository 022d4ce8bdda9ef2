package io.palisade.bench;

import io.palisade.core.policy.PolicyBook;
import io.palisade.gateway.DeviceTls;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.MqttGateway;
import io.palisade.gateway.UpstreamAddress;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's data path against Mosquitto's own TLS listener (client certificates + ACL), same
 * devices, same load, same run: QoS 0 and 1, 256 B and 4 KiB. Palisade's path is device → Palisade
 * (mTLS, identity, ACL, quota) → Mosquitto; the peer's path is device → Mosquitto (mTLS, ACL).
 */
final class GatewayBench {

    private GatewayBench() {
    }

    /** Parses "QOS:BYTES:MESSAGES_PER_DEVICE,..." (system property gatewayLoads) into load rows. */
    private static int[][] loads(String spec) {
        String[] items = spec.split(",");
        int[][] loads = new int[items.length][];
        for (int i = 0; i < items.length; i++) {
            String[] parts = items[i].trim().split(":");
            loads[i] = new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
        }
        return loads;
    }

    static void run(int deviceCount) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-gw");
        BenchPki pki = new BenchPki(dir);
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             Database database = Database.open(StoreUrl.sqlite(dir.resolve("bench.db")))) {
            SqlDeviceRegistry registry = new SqlDeviceRegistry(database);
            List<Path> devices = new ArrayList<>();
            for (int i = 0; i < deviceCount; i++) {
                devices.add(pki.enroll("bench-" + i, registry));
            }
            AtomicLong events = new AtomicLong();
            // Quotas far above the offered load, so the benchmark measures the path, not the throttle.
            GatewayLimits limits = GatewayLimits.defaults().withMessageRate(1_000_000, 1_000_000)
                    .with("bytes-per-second", "1e12").withConnectionLimits(10_000, 10_000, 50_000);
            try (MqttGateway gateway = MqttGateway.start(new InetSocketAddress("127.0.0.1", 0),
                    DeviceTls.serverContext(pki.serverKeys.getPrivate(), pki.serverChain(), pki.ca.chain()),
                    UpstreamAddress.parse("mqtt://127.0.0.1:" + mosquitto.plainPort), limits, new PolicyBook(), registry,
                    e -> events.incrementAndGet(), Clock.systemUTC())) {
                System.out.println("== MQTT publish through Palisade vs straight into Mosquitto's mTLS listener ("
                        + deviceCount + " devices) ==");
                System.out.printf("%-14s %11s %8s %8s %6s %12s %8s %8s %6s %10s %9s%n", "load", "Palisade/s",
                        "p50 ms", "p99 ms", "lost", "Mosquitto/s", "p50 ms", "p99 ms", "lost", "thru ratio", "p99 ratio");
                // One warm-up run on each path first (JIT, TLS session caches stay cold: every run makes new handshakes).
                MqttLoad.run(pki, devices, "localhost", gateway.port(), mosquitto.plainPort, 1, 256, 20);
                MqttLoad.run(pki, devices, "localhost", mosquitto.tlsPort, mosquitto.plainPort, 1, 256, 20);
                int[][] loads = loads(System.getProperty("gatewayLoads", "0:256:500,1:256:200,0:4096:200,1:4096:100"));
                for (int[] load : loads) {
                    MqttLoad.Result palisade = MqttLoad.run(pki, devices, "localhost", gateway.port(),
                            mosquitto.plainPort, load[0], load[1], load[2]);
                    MqttLoad.Result peer = MqttLoad.run(pki, devices, "localhost", mosquitto.tlsPort,
                            mosquitto.plainPort, load[0], load[1], load[2]);
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
    }
}
