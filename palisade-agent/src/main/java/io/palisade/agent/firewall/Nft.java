package io.palisade.agent.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code nft} command (Debian package nftables): applies a script as one transaction, reads named counters. */
public final class Nft {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECONDS = 30;

    private Nft() {
    }

    /** {@code nft -f -} with {@code script} on standard input; nft's own message on failure. */
    public static void apply(String script) throws IOException {
        run(List.of("nft", "-f", "-"), script);
    }

    /** The packet counts of the named counters of table {@code inet TABLE}. */
    public static Map<String, Long> counters(String table) throws IOException {
        String json = run(List.of("nft", "-j", "list", "counters", "table", "inet", table), "");
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode item : JSON.readTree(json).path("nftables")) {
            JsonNode counter = item.path("counter");
            if (counter.isObject() && counter.path("table").asText().equals(table)) {
                counts.put(counter.path("name").asText(), counter.path("packets").asLong());
            }
        }
        return counts;
    }

    private static String run(List<String> command, String input) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run nft (Debian package nftables): " + e.getMessage(), e);
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running nft");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + (err.isEmpty() ? "exit " + process.exitValue()
                    : err));
        }
        return out;
    }
}
