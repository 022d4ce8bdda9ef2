package io.palisade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway with detection on vs off: two gateway processes in front of the same Mosquitto (over TLS,
 * QoS 0 lanes), one feeding every event and PUBLISH to the detector, loaded by {@link ClosedLoopLoad},
 * runs alternating, median of each (goal ≥ 0.9).
 */
final class DetectionOverheadBench {

    private DetectionOverheadBench() {
    }

    static void run(int deviceCount) throws Exception {
        int repeats = Integer.getInteger("repeats", 3);
        int seconds = Integer.getInteger("seconds", 15);
        Path dir = Files.createTempDirectory("palisade-bench-detect");
        BenchPki pki = new BenchPki(dir);
        List<Path> devices = pki.enrollDevices(deviceCount);
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir);
             ForkedGateway off = new ForkedGateway(dir, GatewayBench.upstream("tls-lanes", mosquitto),
                     GatewayProcess.Quotas.UNTHROTTLED, false);
             ForkedGateway on = new ForkedGateway(dir, GatewayBench.upstream("tls-lanes", mosquitto),
                     GatewayProcess.Quotas.UNTHROTTLED, true);
             ClosedLoopLoad load = new ClosedLoopLoad(2)) {
            System.out.println("== Gateway throughput with detection on vs off (" + deviceCount + " devices, median of "
                    + repeats + " alternating runs of " + seconds + " s) ==");
            System.out.printf("%-14s %12s %8s %9s %12s %8s %9s %10s%n", "load", "off msg/s", "p99 ms", "gateway %",
                    "on msg/s", "p99 ms", "gateway %", "on/off");
            load.run(devices, "localhost", off.port(), mosquitto.plainPort, 1, 256, 8, 2, 3);
            load.run(devices, "localhost", on.port(), mosquitto.plainPort, 1, 256, 8, 2, 3);
            for (int[] row : GatewayBench.loads(System.getProperty("detectLoads", "1:256,0:256"))) {
                List<ClosedLoopLoad.Result> offRuns = new ArrayList<>();
                List<ClosedLoopLoad.Result> onRuns = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    offRuns.add(load.run(devices, "localhost", off.port(), mosquitto.plainPort, row[0], row[1], 8, 3,
                            seconds, off.pid()));
                    onRuns.add(load.run(devices, "localhost", on.port(), mosquitto.plainPort, row[0], row[1], 8, 3,
                            seconds, on.pid()));
                }
                ClosedLoopLoad.Result without = GatewayBench.median(offRuns);
                ClosedLoopLoad.Result with = GatewayBench.median(onRuns);
                System.out.printf("%-14s %12.0f %8.1f %9.0f %12.0f %8.1f %9.0f %9.2fx%n", "QoS " + row[0] + ", " + row[1]
                        + " B", without.perSecond(), without.p99Micros() / 1000.0, without.watchedCpu()[0],
                        with.perSecond(), with.p99Micros() / 1000.0, with.watchedCpu()[0],
                        with.perSecond() / without.perSecond());
            }
            System.out.println();
        }
    }
}
