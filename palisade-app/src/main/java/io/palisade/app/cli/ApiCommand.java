package io.palisade.app.cli;

import io.palisade.app.client.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A subcommand that talks to the running instance's API: connection options, {@code --json}, output. */
abstract class ApiCommand implements Runnable {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the API's answer with {@code --json}, else one sentence saying what was done. */
    void done(com.fasterxml.jackson.databind.JsonNode answer, String sentence) {
        if (json) {
            Output.json(out(), answer);
        } else {
            out().println(sentence);
        }
        out().flush();
    }

    ApiClient api() {
        return connection.apiClient();
    }
}
