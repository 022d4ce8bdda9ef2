package io.palisade.app;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A software TPM 2.0 (Debian swtpm) on loopback, with its state in a directory of the test's; started manufactured. */
final class Swtpm implements AutoCloseable {

    private final Process process;
    final int port;

    private Swtpm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Swtpm start(Path dir) throws Exception {
        Path state = Files.createDirectories(dir.resolve("swtpm-state"));
        int port = PalisadeProcess.freePort();
        int control = PalisadeProcess.freePort();
        Process process = new ProcessBuilder(List.of("swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + state,
                "--server", "type=tcp,bindaddr=127.0.0.1,port=" + port, "--ctrl",
                "type=tcp,bindaddr=127.0.0.1,port=" + control, "--flags", "not-need-init,startup-clear"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new Swtpm(process, port);
            } catch (java.io.IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("swtpm did not start: " + Files.readString(dir.resolve("swtpm.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** The TCTI string tpm2-tools and Palisade's --tpm take. */
    String tcti() {
        return "swtpm:host=127.0.0.1,port=" + port;
    }

    /** Runs a tpm2-tools command against this TPM. */
    Processes.Result tool(String... command) throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>(List.of("env", "TPM2TOOLS_TCTI=" + tcti()));
        all.addAll(List.of(command));
        return Processes.run(all);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
