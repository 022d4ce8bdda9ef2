package io.palisade.app;

import io.palisade.core.testing.PeerPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** `palisade up` in its own JVM, as a user runs it, so that tests can kill it with -9 and restart it. */
final class PalisadeProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    final int port;
    final int mqttPort;

    private PalisadeProcess(Process process, int port, int mqttPort) {
        this.process = process;
        this.port = port;
        this.mqttPort = mqttPort;
    }

    static int freePort() {
        return PeerPorts.free();
    }

    static PalisadeProcess start(Path data, int port, int mqttPort) throws Exception {
        return start(data, port, mqttPort, List.of());
    }

    /** With more {@code palisade up} options ({@code --modbus-plc ...}); it listens on 127.0.0.1 unless they say {@code --bind}. */
    static PalisadeProcess start(Path data, int port, int mqttPort, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "up", "--data", data.toString(), "--https-port", Integer.toString(port),
                "--mqtt-port", Integer.toString(mqttPort)));
        if (!options.contains("--bind")) {
            command.addAll(List.of("--bind", "127.0.0.1"));
        }
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        PalisadeProcess palisade = new PalisadeProcess(process, port, mqttPort);
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    palisade.output.append(line).append('\n');
                    if (line.startsWith("Press Ctrl-C to stop.")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // Process ended.
            }
            ready.complete(false);
        }, "palisade-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("palisade up did not start:\n" + palisade.output);
        }
        return palisade;
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL: no shutdown hook runs, as after a crash or power loss of the JVM. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C or a service manager would stop it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("palisade did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }
}
