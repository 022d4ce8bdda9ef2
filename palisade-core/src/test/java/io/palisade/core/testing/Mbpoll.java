package io.palisade.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mbpoll} as an independent Modbus/TCP master, against 127.0.0.1: unit 1 and holding registers with
 * 0-based references unless the arguments say otherwise ({@code -a}, {@code -t}); a 2 s timeout. Answers what it
 * printed (exceptions show as "Illegal data address" and the like; its exit code does not tell).
 */
public final class Mbpoll {

    private Mbpoll() {
    }

    /** mbpoll against {@code port}, unit 1, holding registers, 0-based references unless the arguments say otherwise. */
    public static String run(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mbpoll", "-m", "tcp", "-0", "-o", "2", "-p",
                Integer.toString(port)));
        boolean table = false;
        boolean unit = false;
        for (String arg : args) {
            table |= arg.equals("-t");
            unit |= arg.equals("-a");
        }
        if (!table) {
            command.addAll(List.of("-t", "4"));
        }
        if (!unit) {
            command.addAll(List.of("-a", "1"));
        }
        // Options first, then the host, then any values to write.
        List<String> options = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-")) {
                options.add(args[i]);
                if (!args[i].equals("-1") && i + 1 < args.length) {
                    options.add(args[++i]);
                }
            } else {
                values.add(args[i]);
            }
        }
        command.addAll(options);
        command.add("127.0.0.1");
        command.addAll(values);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mbpoll did not finish within 30 s: " + out);
        }
        return out;
    }
}
