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
