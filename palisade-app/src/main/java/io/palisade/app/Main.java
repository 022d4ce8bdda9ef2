package io.palisade.app;

import io.palisade.app.cli.PalisadeCommand;
import picocli.CommandLine;

/** {@code palisade} entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(PalisadeCommand.commandLineFor(args).execute(args));
    }
}
