package io.palisade.app;

import io.palisade.app.cli.PalisadeCommand;
import picocli.CommandLine;

/** {@code palisade} entry point. */
public final class Main {

    /** Held so that the logger configuration is not garbage-collected (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger FLYWAY = java.util.logging.Logger.getLogger("org.flywaydb");

    private Main() {
    }

    public static void main(String[] args) {
        // Flyway narrates every start at INFO; operators need to hear from it only when something is wrong.
        FLYWAY.setLevel(java.util.logging.Level.WARNING);
        System.exit(PalisadeCommand.commandLine().execute(args));
    }
}
