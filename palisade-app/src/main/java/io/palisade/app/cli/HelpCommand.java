package io.palisade.app.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code palisade help [COMMAND [SUBCOMMAND ...]]}: the help of any command, however deep. picocli's own help
 * command looks up one level only, so {@code palisade help device add} showed the help of {@code device}.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. `palisade help device add`.")
final class HelpCommand implements Runnable {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its subcommands.")
    List<String> path = List.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine target = spec.parent().commandLine();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CliFailure("unknown command '" + String.join(" ", path) + "'; `palisade --help` lists them");
            }
            target = next;
        }
        target.usage(spec.commandLine().getOut());
    }
}
