package io.palisade.bench;

import io.palisade.core.device.DeviceId;
import io.palisade.core.radio.FrameCounters;
import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.radio.capture.PcapReader;
import io.palisade.radio.capture.PcapWriter;
import io.palisade.radio.ieee802154.SecurityLevel;
import io.palisade.radio.zigbee.Verdict;
import io.palisade.radio.zigbee.ZigbeeFrameWriter;
import io.palisade.radio.zigbee.ZigbeeVerifier;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * ZigBee frames verified per second. The same capture — {@code zigbeeFrames} NWK-secured temperature reports (AES-128
 * CCM*, MIC-32) from {@code zigbeeSensors} sensors — read and verified (parse, decrypt, MIC, counter window) by
 * Palisade's verifier on one thread, beside Wireshark's {@code tshark} decrypting and dissecting it with the same
 * network key (one thread too; its CPU printed beside). Then end to end: {@code palisade zigbee ingest} of the file
 * into a running {@code palisade up} (counter windows saved per batch, every report published into the embedded
 * broker), frames per second of wall time.
 */
final class ZigbeeBench {

    private static final byte[] NETWORK_KEY = HexFormat.of().parseHex("01030507090b0d0f00020406080a0c0d");
    private static final ZigbeeFrameWriter.ApsData TEMPERATURE = new ZigbeeFrameWriter.ApsData(1, 0x0402, 0x0104, 1, 1);

    private ZigbeeBench() {
    }

    static void run(int frames, int sensors) throws Exception {
        System.out.println("== ZigBee frames verified per second: Palisade's verifier vs tshark, same capture ==");
        Path dir = Files.createTempDirectory("palisade-zigbee-bench");
        Path capture = dir.resolve("reports.pcap");
        byte[] file = capture(frames, sensors);
        Files.write(capture, file);
        ZigbeeKeyring keyring = keyring(sensors);

        verifyAll(file, keyring); // warm-up
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            int forwarded = verifyAll(file, keyring);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (forwarded != frames) {
                throw new IllegalStateException("only " + forwarded + " of " + frames + " frames verified");
            }
            best = Math.max(best, frames / seconds);
        }
        System.out.printf("palisade verifier: %,.0f frames/s (best of 3, one thread, read + verify %,d frames)%n",
                best, frames);

        long start = System.nanoTime();
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-o", "uat:zigbee_pc_keys:\""
                + HexFormat.of().formatHex(NETWORK_KEY) + "\",\"Normal\",\"bench\"", "-T", "fields", "-e",
                "zbee_aps.cluster").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.CompletableFuture<Long> lines = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(tshark.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long cpuTicks = 0;
        while (tshark.isAlive()) { // its CPU, read while /proc still has it
            try {
                cpuTicks = CpuTicks.of(tshark.pid());
            } catch (java.io.IOException gone) {
                break;
            }
            Thread.sleep(50);
        }
        tshark.waitFor();
        long decrypted = lines.get();
        double tsharkSeconds = (System.nanoTime() - start) / 1e9;
        if (decrypted != frames) {
            throw new IllegalStateException("tshark decrypted " + decrypted + " of " + frames + " frames");
        }
        double tsharkRate = frames / tsharkSeconds;
        System.out.printf("tshark (peer):     %,.0f frames/s (decrypt + dissect, %.1f s, CPU %.0f%%)%n", tsharkRate,
                tsharkSeconds, 100.0 * cpuTicks / CpuTicks.PER_SECOND / tsharkSeconds);
        System.out.printf("ratio palisade/tshark: %.1fx%n", best / tsharkRate);
        endToEnd(dir, capture, frames, sensors);
    }

    private static void endToEnd(Path dir, Path capture, int frames, int sensors) throws Exception {
        Path root = Path.of(System.getProperty("palisade.root", ".")).toAbsolutePath().normalize();
        String palisade = root.resolve("palisade").toString();
        Path data = dir.resolve("data");
        Process up = CliBench.start(List.of(palisade, "up", "--data", data.toString(), "--bind", "127.0.0.1",
                "--https-port", Integer.toString(CliBench.freePort()), "--mqtt-port",
                Integer.toString(CliBench.freePort()), "--no-detection",
                "--limit", "messages-per-second=1000000", "--limit", "message-burst=1000000"));
        try {
            run(palisade, "zigbee", "key", "add", "network", "0", "--key", HexFormat.of().formatHex(NETWORK_KEY),
                    "--data", data.toString());
            for (int i = 0; i < sensors; i++) {
                run(palisade, "device", "add", "zb-" + i, "--data", data.toString());
                run(palisade, "zigbee", "bind", io.palisade.core.radio.IeeeAddress.format(ieee(i)), "zb-" + i,
                        "--data", data.toString());
            }
            long start = System.nanoTime();
            String out = run(palisade, "zigbee", "ingest", capture.toString(), "--data", data.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("end to end (palisade zigbee ingest into palisade up): %,.0f frames/s (%.1f s for %,d;"
                    + " %s)%n", frames / seconds, seconds, frames, out.strip());
        } finally {
            CliBench.stop(up);
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static int verifyAll(byte[] file, ZigbeeKeyring keyring) throws Exception {
        ZigbeeVerifier verifier = ZigbeeVerifier.over(new NoCounters());
        int[] forwarded = {0};
        PcapReader.read(new ByteArrayInputStream(file), "bench", frame -> {
            if (verifier.verify(frame, keyring) instanceof Verdict.Forward) {
                forwarded[0]++;
            }
        });
        return forwarded[0];
    }

    static byte[] capture(int frames, int sensors) {
        PcapWriter writer = new PcapWriter();
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        byte[] zcl = HexFormat.of().parseHex("180a0a000029ec09");
        for (int i = 0; i < frames; i++) {
            int sensor = i % sensors;
            long counter = i / sensors + 1;
            ZigbeeFrameWriter.Sender from = new ZigbeeFrameWriter.Sender(0x1a62, 0x1000 + sensor, ieee(sensor));
            writer.frame(t.plusMillis(i), ZigbeeFrameWriter.data(from, 0, i & 0xff, i & 0xff, counter, NETWORK_KEY,
                    0, SecurityLevel.ENC_MIC_32, TEMPERATURE, zcl));
        }
        return writer.toByteArray();
    }

    private static ZigbeeKeyring keyring(int sensors) {
        Map<Long, DeviceId> devices = new java.util.HashMap<>();
        for (int i = 0; i < sensors; i++) {
            devices.put(ieee(i), DeviceId.of("zb-" + i));
        }
        return new ZigbeeKeyring(Map.of(0, NETWORK_KEY), Map.of(), Map.of(), devices, ZigbeeKeyring.DEFAULT_LEVEL);
    }

    private static long ieee(int sensor) {
        return 0x00124b0000000000L + sensor;
    }

    /** Windows from nothing, saved nowhere: the verifier's own cost. */
    private static final class NoCounters implements FrameCounters {
        @Override
        public Map<String, Window> loadAll() {
            return Map.of();
        }

        @Override
        public void saveAll(Map<String, Window> windows) {
        }
    }
}
