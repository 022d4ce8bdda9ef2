package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on the data directory's Unix socket: only the instance's user can open it, the admin token is
 * still required, only the API is served there, commands on the host use it when no server is named, and it
 * is gone when the instance stops. curl is the independent client.
 */
class LocalApiSocketIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serves_the_api_to_the_owner_with_the_token_and_goes_away_on_stop() throws Exception {
        Path data = dir.resolve("data");
        Path socket = data.resolve("api.sock");
        try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                PalisadeProcess.freePort())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(palisade.output()).contains("local API      " + socket);
            String token = Files.readString(data.resolve("admin.token")).strip();

            // The CLI uses the socket when no server is named: with server.url pointing nowhere it still works.
            Files.writeString(data.resolve("server.url"), "https://127.0.0.1:1\n");
            Cli.Result added = Cli.run("device", "add", "local-1", "--data", data.toString(), "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            Cli.Result shown = Cli.run("device", "show", "local-1", "--data", data.toString(), "--json");
            assertThat(JSON.readTree(shown.out()).get("id").asText()).isEqualTo("local-1");
            // A named server means HTTPS to it, socket or not.
            Cli.Result named = Cli.run("device", "show", "local-1", "--data", data.toString(), "--server",
                    "https://127.0.0.1:1");
            assertThat(named.exitCode()).isEqualTo(69);
            assertThat(named.err()).contains("https://127.0.0.1:1/");

            Processes.Result withToken = curl(socket, "-H", "Authorization: Bearer " + token,
                    "http://localhost/api/v1/devices/local-1");
            assertThat(withToken.output()).endsWith("200");
            JsonNode device = JSON.readTree(withToken.output().substring(0, withToken.output().length() - 3));
            assertThat(device.get("id").asText()).isEqualTo("local-1");

            Processes.Result withoutToken = curl(socket, "http://localhost/api/v1/devices");
            assertThat(withoutToken.output()).endsWith("401");
            Processes.Result wrongToken = curl(socket, "-H", "Authorization: Bearer " + "x".repeat(token.length()),
                    "http://localhost/api/v1/devices");
            assertThat(wrongToken.output()).endsWith("401");
            Processes.Result est = curl(socket, "http://localhost/.well-known/est/cacerts");
            assertThat(est.output()).contains("only the REST API is served on the local socket").endsWith("404");

            // Refusals on the socket are attributed to it, not to an address.
            Cli.Result refused = Cli.run("events", "--data", data.toString(), "--type", "auth.failed", "--json");
            assertThat(refused.out()).contains("\"source\":\"local\"");

            // The end of a device's life, through the CLI: decommissioned (nothing issued yet, so no serials), then
            // deleted; its events stay.
            Cli.Result decommissioned = Cli.run("device", "decommission", "local-1", "--data", data.toString(),
                    "--reason", "replaced");
            assertThat(decommissioned.exitCode()).as(decommissioned.err()).isZero();
            assertThat(decommissioned.out()).isEqualTo("device local-1 decommissioned; revoked 0 certificates\n");
            assertThat(Cli.run("device", "show", "local-1", "--data", data.toString()).out()).contains("revoked");
            Cli.Result deleted = Cli.run("device", "delete", "local-1", "--data", data.toString());
            assertThat(deleted.exitCode()).as(deleted.err()).isZero();
            assertThat(Cli.run("device", "show", "local-1", "--data", data.toString()).err())
                    .contains("no device with id local-1 is registered");
            assertThat(Cli.run("events", "--data", data.toString(), "--device", "local-1").out())
                    .contains("device.decommissioned").contains("device.deleted");

            // Rotating the admin token: the old one stops working at once, the new one is in admin.token.
            Cli.Result rotated = Cli.run("admin", "rotate-token", "--data", data.toString());
            assertThat(rotated.exitCode()).as(rotated.err()).isZero();
            assertThat(rotated.out()).contains("admin token rotated; the previous token no longer works");
            String newToken = Files.readString(data.resolve("admin.token")).strip();
            assertThat(newToken).startsWith("pat_").isNotEqualTo(token);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin.token"))))
                    .isEqualTo("rw-------");
            assertThat(curl(socket, "-H", "Authorization: Bearer " + token, "http://localhost/api/v1/devices")
                    .output()).endsWith("401");
            assertThat(curl(socket, "-H", "Authorization: Bearer " + newToken, "http://localhost/api/v1/devices")
                    .output()).endsWith("200");
            assertThat(Cli.run("events", "--data", data.toString(), "--type", "admin.token_rotated").out())
                    .contains("admin token rotated by admin@local");

            assertThat(palisade.stop()).as("SIGTERM stops cleanly").isIn(0, 143);
        }
        assertThat(socket).doesNotExist();
        Cli.Result stopped = Cli.run("device", "list", "--data", data.toString());
        assertThat(stopped.exitCode()).isEqualTo(69);
    }

    /** curl over the socket; the output ends with the HTTP status. */
    private static Processes.Result curl(Path socket, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10",
                "--unix-socket", socket.toString(), "-w", "%{http_code}"));
        command.addAll(List.of(args));
        Processes.Result result = Processes.run(command);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }
}
