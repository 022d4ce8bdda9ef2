package io.palisade.app;

import io.palisade.app.cli.PalisadeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs `palisade ...` commands in-process and captures what a user would see. */
final class Cli {

    record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    /** The command, then the options naming the instance (such as {@code --data DIR}). */
    static Result runAt(String[] instance, String... command) {
        String[] all = java.util.Arrays.copyOf(command, command.length + instance.length);
        System.arraycopy(instance, 0, all, command.length, instance.length);
        return run(all);
    }

    /** The stored events of one type, newest first, as {@code palisade events --type TYPE --json} prints them. */
    static java.util.List<com.fasterxml.jackson.databind.JsonNode> events(String[] instance, String type) {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
        for (String line : runAt(instance, "events", "--type", type, "--json").out().split("\n")) {
            if (!line.isBlank()) {
                try {
                    found.add(JSON.readTree(line));
                } catch (java.io.IOException e) {
                    throw new AssertionError("events --json printed a line that is not JSON: " + line, e);
                }
            }
        }
        return found;
    }

    /**
     * {@code device add ID [more]} and {@code device enroll} into {@code out}: the directory with key.pem, cert.pem and
     * ca.pem, as a device has them.
     */
    static java.nio.file.Path enroll(String[] instance, String id, java.nio.file.Path out, String... more)
            throws java.io.IOException {
        String[] add = new String[3 + more.length + 1];
        add[0] = "device";
        add[1] = "add";
        add[2] = id;
        System.arraycopy(more, 0, add, 3, more.length);
        add[add.length - 1] = "--json";
        Result added = runAt(instance, add);
        if (added.exitCode() != 0) {
            throw new AssertionError("device add " + id + " failed: " + added.err());
        }
        Result enrolled = runAt(instance, "device", "enroll", id, "--token",
                JSON.readTree(added.out()).path("enrollment_token").asText(), "--out", out.toString());
        if (enrolled.exitCode() != 0) {
            throw new AssertionError("device enroll " + id + " failed: " + enrolled.err());
        }
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PalisadeCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
