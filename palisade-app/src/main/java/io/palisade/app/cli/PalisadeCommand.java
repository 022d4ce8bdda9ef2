package io.palisade.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code palisade} command. */
@Command(name = "palisade", mixinStandardHelpOptions = true, version = "palisade 0.1.0",
        description = "Security platform for IoT devices and gateways.",
        subcommands = {UpCommand.class, DeviceCommand.class, PolicyCommand.class, SegmentCommand.class, EventsCommand.class,
                RolloutCommand.class, SimCommand.class, FimCommand.class, DetectCommand.class,
                FirmwareCommand.class, RepoCommand.class,
                HelpCommand.class})
public final class PalisadeCommand extends CommandGroup {

    /** A command line whose failures print one sentence: {@code palisade: <reason>}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PalisadeCommand());
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
