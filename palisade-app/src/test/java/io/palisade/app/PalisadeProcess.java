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
    private final StringBuffer output;
    final int port;
    final int mqttPort;

    private PalisadeProcess(Process process, StringBuffer output, int port, int mqttPort) {
        this.process = process;
        this.output = output;
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
        List<String> arguments = new ArrayList<>(List.of("up", "--data", data.toString(), "--https-port",
                Integer.toString(port), "--mqtt-port", Integer.toString(mqttPort)));
        if (!options.contains("--bind")) {
            arguments.addAll(List.of("--bind", "127.0.0.1"));
        }
        arguments.addAll(options);
        Launched launched = launch(arguments, "Press Ctrl-C to stop.");
        return new PalisadeProcess(launched.process(), launched.output(), port, mqttPort);
    }

    /** A {@code palisade} JVM and everything it printed so far. */
    record Launched(Process process, StringBuffer output) {
    }

    /** Runs {@code palisade ARGUMENTS} in a JVM of its own and waits (60 s at most) for a line starting with {@code ready}. */
    static Launched launch(List<String> arguments, String ready) throws Exception {
        return launch(List.of(), arguments, ready);
    }

    /** As {@link #launch(List, String)}, with {@code prefix} before the JVM ({@code ip netns exec NS}). */
    static Launched launch(List<String> prefix, List<String> arguments, String ready) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith(ready)) {
                        started.complete(true);
                    }
                }
            } catch (IOException e) {
                // Process ended.
            }
            started.complete(false);
        }, "palisade-output");
        reader.setDaemon(true);
        reader.start();
        if (!started.get(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("palisade " + arguments.get(0) + " did not start:\n" + output);
        }
        return new Launched(process, output);
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
