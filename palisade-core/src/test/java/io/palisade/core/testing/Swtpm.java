package io.palisade.core.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A software TPM 2.0 (Debian swtpm) on loopback, with its state in a directory of the test's; started manufactured. */
public final class Swtpm implements AutoCloseable {

    /** What a tpm2-tools command did. */
    public record Result(int exitCode, String output) {
    }

    private final Process process;
    private final int port;

    private Swtpm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Swtpm start(Path dir) throws Exception {
        Path state = Files.createDirectories(dir.resolve("swtpm-state"));
        int port = PeerPorts.free();
        int control = PeerPorts.free();
        Path log = dir.resolve("swtpm.log");
        Process process = new ProcessBuilder(List.of("swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + state,
                "--server", "type=tcp,bindaddr=127.0.0.1,port=" + port, "--ctrl",
                "type=tcp,bindaddr=127.0.0.1,port=" + control, "--flags", "not-need-init,startup-clear"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new Swtpm(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("swtpm did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    /** The TCTI string tpm2-tools and Palisade's --tpm take. */
    public String tcti() {
        return "swtpm:host=127.0.0.1,port=" + port;
    }

    /** Runs a tpm2-tools command against this TPM (an independent check of what Palisade did). */
    public Result tool(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("env", "TPM2TOOLS_TCTI=" + tcti()));
        all.addAll(List.of(command));
        Process tool = new ProcessBuilder(all).redirectErrorStream(true).start();
        tool.getOutputStream().close();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(60, TimeUnit.SECONDS)) {
            tool.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(tool.exitValue(), output);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
