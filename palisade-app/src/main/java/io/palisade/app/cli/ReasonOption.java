package io.palisade.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import picocli.CommandLine.Option;

/** {@code --reason}, recorded in the event of a standing change (revoke, quarantine, release). */
final class ReasonOption {

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the event.")
    String reason;

    /** The API request body carrying the reason, when one was given. */
    ObjectNode body() {
        ObjectNode body = ApiClient.object();
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }
}
