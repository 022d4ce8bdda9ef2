package io.palisade.app.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run alone, it says which ones exist. */
abstract class CommandGroup implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand of '" + spec.qualifiedName()
                + "': " + String.join(", ", spec.subcommands().keySet()));
    }
}
