package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade siem ...}: where security events are exported, stored in the instance and live. */
@Command(name = "siem", mixinStandardHelpOptions = true,
        description = {"SIEM destinations: every stored event that passes a destination's filter is delivered to it,"
                + " at least once and in order, from a durable cursor; a receiver outage is retried with back-off and"
                + " shows as backlog.",
                "URLs: syslog+tls://HOST:PORT (RFC 5425), syslog+tcp://HOST:PORT (octet counting),"
                        + " syslog+udp://HOST:PORT (RFC 5426; records over 2048 bytes are cut, nothing is confirmed),"
                        + " https://HOST/PATH (webhook: JSON batches signed with HMAC-SHA256)."})
public final class SiemCommand extends CommandGroup {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a destination; delivery starts at once, with the events stored from now on"
                    + " (--from-start for every stored event).",
                    "For an https:// webhook the signing key is printed once: receivers check"
                            + " X-Palisade-Signature: sha256=HEX(HMAC-SHA256(key, X-Palisade-Timestamp + \".\" + body))."})
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "syslog+tls://, syslog+tcp://,"
                + " syslog+udp:// or https://")
        String url;

        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "cef, leef, ocsf, json or rfc5424 (over syslog, other formats travel inside an RFC 5424 record)")
        String format;

        @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate(s) to trust for the receiver"
                + " (default: the JVM's CAs)")
        Path ca;

        @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate (chain) to present")
        Path cert;

        @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of --cert (kept 0600 in the data"
                + " directory, never in the database)")
        Path key;

        @Option(names = "--min-severity", paramLabel = "SEVERITY", description = "info (default), low, medium, high"
                + " or critical")
        String minSeverity;

        @Option(names = "--types", split = ",", paramLabel = "TYPE", description = "only these event types"
                + " (comma-separated, e.g. auth.failed,acl.denied; default: all)")
        List<String> types = new ArrayList<>();

        @Option(names = "--from-start", description = "deliver every stored event, not only new ones")
        boolean fromStart;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("name", name).put("url", url).put("format", format)
                    .put("from_start", fromStart);
            if (minSeverity != null) {
                body.put("min_severity", minSeverity);
            }
            types.forEach(body.putArray("types")::add);
            putFile(body, "ca_pem", ca, "--ca");
            putFile(body, "cert_pem", cert, "--cert");
            putFile(body, "key_pem", key, "--key");
            JsonNode answer = api().post("siem", body);
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("added SIEM destination " + answer.path("name").asText() + ": " + describe(answer));
            if (answer.hasNonNull("signing_key")) {
                out().println("webhook signing key (shown once; give it to the receiver): "
                        + answer.path("signing_key").asText());
            }
            out().flush();
        }

        private static void putFile(ObjectNode body, String field, Path file, String option) {
            if (file == null) {
                return;
            }
            try {
                body.put(field, Files.readString(file));
            } catch (IOException e) {
                throw new CliFailure("cannot read the " + option + " file " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List destinations with their delivery state, backlog (events stored after the cursor)"
                    + " and last error.")
    static final class ListDestinations extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("siem", Map.of());
            PrintWriter out = out();
            if (json) {
                Output.json(out, answer);
                return;
            }
            if (answer.path("destinations").isEmpty()) {
                out.println("no SIEM destinations (add one with: palisade siem add NAME --url URL --format FORMAT)");
            }
            for (JsonNode destination : answer.path("destinations")) {
                out.println(destination.path("name").asText() + ": " + describe(destination));
                out.println("  " + destination.path("state").asText() + ", backlog " + destination.path("backlog").asLong()
                        + ", unconfirmed " + destination.path("unconfirmed").asInt() + ", sent "
                        + destination.path("sent").asLong() + " since start, cursor " + destination.path("cursor").asLong()
                        + (destination.hasNonNull("last_delivery") ? ", last delivery "
                        + destination.path("last_delivery").asText() : ""));
                if (destination.hasNonNull("last_error")) {
                    out.println("  failing since " + destination.path("failing_since").asText() + ": "
                            + destination.path("last_error").asText() + " (next attempt "
                            + destination.path("next_attempt").asText() + ")");
                }
            }
            out.flush();
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a destination; what it has not received yet is not sent.")
    static final class Remove extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            JsonNode answer = api().delete("siem/" + name);
            if (json) {
                Output.json(out(), answer);
            } else {
                out().println("removed SIEM destination " + name);
            }
            out().flush();
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Send one test record to a destination over a connection of its own; exit code 0 when it"
                    + " was delivered (a webhook answered 2xx, a syslog receiver took the connection), 1 when not."})
    static final class Test extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            JsonNode answer = api().post("siem/" + name + "/test", ApiClient.object());
            if (json) {
                Output.json(out(), answer);
                out().flush();
            }
            if (!answer.path("delivered").asBoolean()) {
                throw new CliFailure("test record not delivered to " + name + ": " + answer.path("detail").asText());
            }
            if (!json) {
                out().println("delivered: " + answer.path("detail").asText());
                out().flush();
            }
        }
    }

    private static String describe(JsonNode destination) {
        JsonNode types = destination.path("types");
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.asText()));
        return destination.path("url").asText() + ", " + destination.path("format").asText() + ", severity "
                + destination.path("min_severity").asText() + " and above, "
                + (names.isEmpty() ? "all types" : String.join(",", names))
                + (destination.path("client_certificate").asBoolean() ? ", client certificate" : "");
    }
}
