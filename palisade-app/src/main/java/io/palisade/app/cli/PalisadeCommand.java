package io.palisade.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code palisade} command; its subcommands are listed in {@link CommandTree}. */
@Command(name = "palisade", mixinStandardHelpOptions = true, version = "palisade 0.1.0",
        description = "Security platform for IoT devices and gateways.")
public final class PalisadeCommand extends CommandGroup {

    /** A command line with every subcommand, whose failures print one sentence: {@code palisade: <reason>}. */
    public static CommandLine commandLine() {
        return withFailureHandler(CommandTree.full(PalisadeCommand.class));
    }

    /**
     * The command line for running {@code args}: only the commands they name are built (see
     * {@link CommandTree}), with the same failure handling as {@link #commandLine()}.
     */
    public static CommandLine commandLineFor(String... args) {
        return withFailureHandler(CommandTree.along(PalisadeCommand.class, args, 0));
    }

    private static CommandLine withFailureHandler(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (exception instanceof CliFailure failure) {
                err.println("palisade: " + exception.getMessage());
                return failure.exitCode();
            }
            err.println("palisade: " + exception);
            exception.printStackTrace(err);
            return 70;
        });
        return commandLine;
    }
}
