package io.palisade.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the independent load generator ({@code ../shared/tools/mqtt-load}, built separately) against
 * Mosquitto's mTLS listener with the same devices and load as {@link ClosedLoopLoad}, so that both
 * generators' figures for the same peer can be compared in one run. Its devices are {@code bench-N}
 * directories with cert.pem and key.pem, which is the layout it reads with {@code --certdir}.
 */
final class IndependentGenerator {

    private static final Pattern RECEIVED = Pattern.compile("\"received_per_s\":([0-9.]+)");
    private static final Pattern BROKER = Pattern.compile("\"broker_pct\":([0-9.]+)");

    private IndependentGenerator() {
    }

    static String run(Path jar, Path certificates, int devices, MosquittoPeer mosquitto, int qos, int payload, int window,
                      int warmup, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--json", "--host", "127.0.0.1", "--port", Integer.toString(mosquitto.tlsPort),
                "--tls", "--cafile", certificates.resolve("ca.pem").toString(), "--certdir", certificates.toString(),
                "--clients", Integer.toString(devices), "--client-id-pattern", "bench-%d", "--topic-pattern",
                "devices/%s/bench", "--qos", Integer.toString(qos), "--payload", Integer.toString(payload), "--rate", "0",
                "--window", Integer.toString(window), "--duration", Integer.toString(seconds), "--warmup",
                Integer.toString(warmup), "--subscriber-host", "127.0.0.1", "--subscriber-port",
                Integer.toString(mosquitto.plainPort), "--broker-pid", Long.toString(mosquitto.pid())))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher received = RECEIVED.matcher(output);
        Matcher broker = BROKER.matcher(output);
        if (!received.find() || !broker.find()) {
            return "mqtt-load gave no result (exit " + process.exitValue() + ")";
        }
        return String.format("mqtt-load on the Mosquitto path: %.0f msgs/s, Mosquitto at %.0f%%", Double.parseDouble(
                received.group(1)), Double.parseDouble(broker.group(1)));
    }
}
