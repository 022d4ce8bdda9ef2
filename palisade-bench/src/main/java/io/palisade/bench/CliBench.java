package io.palisade.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an operator waits for, through the {@code ./palisade} launcher as a user runs it: an API command
 * ({@code device show}) against curl making the same request, alternating run by run, and the time from
 * {@code ./palisade up} to "running" on an existing data directory. Wall time from the process's start to
 * its exit; CPU from this process's reaped-children counters ({@code /proc/self/stat}).
 */
final class CliBench {

    private static final int RUNS = Integer.getInteger("cliRuns", 15);
    private static final int STARTS = Integer.getInteger("starts", 3);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private CliBench() {
    }

    record Sample(double wallSeconds, double cpuSeconds) {
    }

    static void run() throws Exception {
        Path root = Path.of(System.getProperty("palisade.root", ".")).toAbsolutePath().normalize();
        Path launcher = root.resolve("palisade");
        Path data = Files.createTempDirectory("palisade-cli-bench");
        int https = freePort();
        int mqtt = freePort();
        List<String> up = List.of(launcher.toString(), "up", "--data", data.toString(), "--bind", "127.0.0.1",
                "--https-port", Integer.toString(https), "--mqtt-port", Integer.toString(mqtt));
        System.out.println("== Operator: an API command vs curl, and start-up (" + RUNS + " runs each) ==");
        Process instance = start(up);
        try {
            String[] dataOption = {"--data", data.toString()};
            exec(concat(launcher.toString(), "device", "add", "bench-1"), dataOption);
            // The first API command after a build records the classes for the launcher's class-data archive,
            // which is then made in the background: wait for it, as a user's second command would find it.
            exec(concat(launcher.toString(), "device", "show", "bench-1"), dataOption);
            Path archive = root.resolve("palisade-app/target/palisade-cli.jsa");
            for (int i = 0; i < 60 && !Files.exists(archive); i++) {
                Thread.sleep(500);
            }
            String token = Files.readString(data.resolve("admin.token")).strip();
            List<String> cli = concat(launcher.toString(), "device", "show", "bench-1", "--data", data.toString());
            List<String> cliHttps = concat(launcher.toString(), "device", "show", "bench-1", "--data",
                    data.toString(), "--server", "https://127.0.0.1:" + https);
            List<String> curl = List.of("curl", "-sS", "-o", "/dev/null", "--cacert",
                    data.resolve("ca/root.crt").toString(), "-H", "Authorization: Bearer " + token,
                    "https://127.0.0.1:" + https + "/api/v1/devices/bench-1");
            List<Sample> local = new ArrayList<>();
            List<Sample> overHttps = new ArrayList<>();
            List<Sample> peer = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                local.add(timed(cli));
                overHttps.add(timed(cliHttps));
                peer.add(timed(curl));
            }
            report("palisade device show (local socket)", local, peer);
            report("palisade device show --server https://...", overHttps, peer);
            report("curl, same request over HTTPS", peer, peer);
        } finally {
            stop(instance);
        }
        List<Double> starts = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            long begun = System.nanoTime();
            Process again = start(up);
            starts.add((System.nanoTime() - begun) / 1e9);
            stop(again);
        }
        System.out.printf("start-up to \"running\" (existing data directory, built): median %.2f s of %s%n",
                median(starts), starts.stream().map(s -> String.format("%.2f", s)).toList());
        System.out.println();
    }

    private static void report(String what, List<Sample> samples, List<Sample> peer) {
        double wall = median(samples.stream().map(Sample::wallSeconds).toList());
        double cpu = median(samples.stream().map(Sample::cpuSeconds).toList());
        double peerWall = median(peer.stream().map(Sample::wallSeconds).toList());
        System.out.printf("%-44s median %.3f s wall, %.2f s CPU  (%.1fx curl's wall)%n", what, wall, cpu,
                wall / peerWall);
    }

    private static Sample timed(List<String> command) throws Exception {
        long cpuBefore = childrenCpuTicks();
        long begun = System.nanoTime();
        exec(command);
        double wall = (System.nanoTime() - begun) / 1e9;
        return new Sample(wall, (childrenCpuTicks() - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND);
    }

    private static void exec(List<String> command, String... more) throws Exception {
        Process process = new ProcessBuilder(concat(command, more)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed (exit "
                    + (process.isAlive() ? "none" : process.exitValue()) + ")");
        }
    }

    /** cutime + cstime of this process: the CPU of every child it has waited for. */
    private static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    static Process start(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("Press Ctrl-C to stop.")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
            ready.complete(false);
        }, "palisade-up-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            synchronized (output) {
                throw new IllegalStateException("palisade up did not start:\n" + output);
            }
        }
        return process;
    }

    static void stop(Process process) throws InterruptedException {
        // The launcher execs java, so this is the JVM itself: SIGTERM runs its shutdown hooks.
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(Arrays.asList(rest));
        return all;
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(rest));
        return all;
    }
}
