package io.palisade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway with detection on vs off: two gateway processes in front of the same Mosquitto, one
 * feeding every event and PUBLISH to the detector, runs alternating, median of each (goal ≥ 0.9).
 */
final class DetectionOverheadBench {

    private DetectionOverheadBench() {
    }

    static void run(int deviceCount) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-detect");
        BenchPki pki = new BenchPki(dir);
        List<Path> devices = pki.enrollDevices(deviceCount);
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             ForkedGateway off = new ForkedGateway(dir, mosquitto.plainPort, GatewayProcess.Quotas.UNTHROTTLED, false);
             ForkedGateway on = new ForkedGateway(dir, mosquitto.plainPort, GatewayProcess.Quotas.UNTHROTTLED, true)) {
            System.out.println("== Gateway throughput with detection on vs off (" + deviceCount + " devices, median of "
                    + GatewayBench.REPEATS + " alternating runs) ==");
            System.out.printf("%-14s %12s %8s %12s %8s %10s%n", "load", "off msg/s", "p99 ms", "on msg/s", "p99 ms",
                    "on/off");
            MqttLoad.run(pki, devices, "localhost", off.port(), mosquitto.plainPort, 1, 256, 50);
            MqttLoad.run(pki, devices, "localhost", on.port(), mosquitto.plainPort, 1, 256, 50);
            for (int[] load : GatewayBench.loads(System.getProperty("detectLoads", "1:256:300"))) {
                List<MqttLoad.Result> offRuns = new ArrayList<>();
                List<MqttLoad.Result> onRuns = new ArrayList<>();
                for (int i = 0; i < GatewayBench.REPEATS; i++) {
                    offRuns.add(MqttLoad.run(pki, devices, "localhost", off.port(), mosquitto.plainPort, load[0], load[1],
                            load[2]));
                    onRuns.add(MqttLoad.run(pki, devices, "localhost", on.port(), mosquitto.plainPort, load[0], load[1],
                            load[2]));
                }
                MqttLoad.Result withOut = GatewayBench.median(offRuns);
                MqttLoad.Result with = GatewayBench.median(onRuns);
                System.out.printf("%-14s %12.0f %8.1f %12.0f %8.1f %9.2fx%n", "QoS " + load[0] + ", " + load[1] + " B",
                        withOut.messagesPerSecond(), withOut.p99Millis(), with.messagesPerSecond(), with.p99Millis(),
                        with.messagesPerSecond() / withOut.messagesPerSecond());
            }
            System.out.println();
        }
    }
}
