package io.palisade.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GatewayProcess} in its own JVM, as {@code palisade up} runs in production: the load
 * generator's threads and garbage collections stay out of the gateway's process, and its resident
 * memory can be read from outside. Its directory must hold the registry database, the server key,
 * chain and CA (see {@link GatewayProcess}).
 */
final class ForkedGateway implements AutoCloseable {

    private final Process process;
    private final int port;
    private volatile boolean closing;

    ForkedGateway(Path dir, int upstreamPort, GatewayProcess.Quotas quotas) throws IOException {
        this(dir, upstreamPort, quotas, false);
    }

    ForkedGateway(Path dir, int upstreamPort, GatewayProcess.Quotas quotas, boolean detection) throws IOException {
        this(dir, "mqtt://127.0.0.1:" + upstreamPort, quotas, detection);
    }

    /** {@code upstream}: an --upstream URL; an {@code mqtts://} broker is trusted through the bench CA ({@code DIR/ca.pem}). */
    ForkedGateway(Path dir, String upstream, GatewayProcess.Quotas quotas, boolean detection) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), GatewayProcess.class.getName(),
                dir.toString(), upstream, quotas.name(), detection ? "DETECT" : "NO_DETECT"));
        process = new ProcessBuilder(command).redirectError(dir.resolve(detection ? "gateway-detect.log"
                : "gateway.log").toFile()).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException("the gateway process did not start; see " + dir.resolve("gateway.log"));
        }
        port = Integer.parseInt(line.substring("PORT ".length()));
        process.onExit().thenAccept(p -> {
            if (!closing) {
                System.err.println("the gateway process ended early with exit code " + p.exitValue() + "; see "
                        + dir.resolve("gateway.log"));
            }
        });
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Asks the gateway JVM for a full collection, so that resident memory reflects live data. */
    void gc() throws IOException, InterruptedException {
        new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(500);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
