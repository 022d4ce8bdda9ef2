package io.palisade.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code palisade} command. */
@Command(name = "palisade", mixinStandardHelpOptions = true, version = "palisade 0.1.0",
        description = "Security platform for IoT devices and gateways.",
        subcommands = {UpCommand.class, DeviceCommand.class, PolicyCommand.class, SegmentCommand.class, EventsCommand.class,
                CommandLine.HelpCommand.class})
public final class PalisadeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. `palisade up`");
    }

    /** A command line whose failures print one sentence: {@code palisade: <reason>}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PalisadeCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (exception instanceof CliFailure) {
                err.println("palisade: " + exception.getMessage());
                return 1;
            }
            err.println("palisade: " + exception);
            exception.printStackTrace(err);
            return 70;
        });
        return commandLine;
    }
}
