package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.client.ApiClient;
import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code palisade admin ...}: the operator's own credentials. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "The REST API's admin token.")
public final class AdminTokenCommand extends CommandGroup {

    @Command(name = "rotate-token", mixinStandardHelpOptions = true,
            description = "Replace the admin token: the old one stops working at once. The new one is written to"
                    + " the instance's admin.token and to this command's --data directory (for a remote instance).")
    static final class RotateToken extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = connection.apiClient().post("admin/token/rotate", ApiClient.object());
            Path local = connection.dataDirectory().adminTokenFile();
            byte[] token = (answer.path("token").asText() + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                // On the instance's host this is the file it just wrote; elsewhere, the copy this CLI reads.
                AtomicFiles.write(local, token, true);
            } catch (IOException e) {
                throw new CliFailure("the admin token was rotated, but writing it to " + local + " failed ("
                        + e.getMessage() + "); the new token is in " + answer.path("file").asText()
                        + " on the instance's host");
            } finally {
                java.util.Arrays.fill(token, (byte) 0);
            }
            if (json) {
                Output.json(out(), ApiClient.object().put("rotated", true).put("file", answer.path("file").asText())
                        .put("local_file", local.toString()));
                return;
            }
            out().println("admin token rotated; the previous token no longer works. New token in " + local
                    + (local.toString().equals(answer.path("file").asText()) ? "" : " and, on the instance's host, "
                    + answer.path("file").asText()));
            out().flush();
        }
    }
}
