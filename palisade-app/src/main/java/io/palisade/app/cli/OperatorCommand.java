package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade operator ...}: operators, their roles, passwords, TOTP and API tokens. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = {"Operators and roles. viewer: reads; auditor: reads and the audit trail (audit verify|run);"
                + " operator: reads and incident handling (quarantine, release, wipe, reflash, roll-out steps, detection"
                + " feedback); admin: everything. The admin token in the data directory is the bootstrap credential"
                + " (role admin).",
                "An operator logs in with 'palisade operator login NAME' and uses the token it prints with --token-file"
                        + " (or $PALISADE_TOKEN_FILE) on any command."})
public final class OperatorCommand extends CommandGroup {

    /** The first line of standard input: a password given without it showing in the process list or history. */
    static String readLine(String what) {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliFailure("no " + what + " on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new CliFailure("cannot read the " + what + " from standard input: " + e.getMessage());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an operator; with no --password-stdin a password is made and printed once.")
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, auditor or viewer")
        String role;

        @Option(names = "--password-stdin", description = "read the password (12 characters or more) from standard input")
        boolean passwordStdin;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("name", name).put("role", role);
            if (passwordStdin) {
                body.put("password", readLine("password"));
            }
            JsonNode answer = api().post("operators", body);
            if (json) {
                Output.json(out(), answer);
            } else {
                out().println("added operator " + answer.path("name").asText() + " (" + answer.path("role").asText() + ")");
                if (answer.hasNonNull("password")) {
                    out().println("password (shown once): " + answer.path("password").asText());
                }
            }
            out().flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List operators.")
    static final class ListOperators extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("operators", Map.of());
            if (json) {
                Output.json(out(), answer);
            } else {
                for (JsonNode operator : answer.path("operators")) {
                    out().println(operator.path("name").asText() + "  " + operator.path("role").asText()
                            + (operator.path("totp").asBoolean() ? "  totp" : "")
                            + (operator.hasNonNull("locked_until") ? "  locked until " + operator.path("locked_until").asText() : ""));
                }
            }
            out().flush();
        }
    }

    abstract static class Named extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an operator and its tokens.")
    static final class Remove extends Named {
        @Override
        public void run() {
            done(api().delete("operators/" + name), "removed operator " + name);
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set an operator's password, read from standard input; unlocks the account.")
    static final class Passwd extends Named {
        @Override
        public void run() {
            done(api().post("operators/" + name + "/password", ApiClient.object().put("password", readLine("password"))),
                    "password of " + name + " set");
        }
    }

    @Command(name = "change-password", mixinStandardHelpOptions = true,
            description = "Change your own password: reads the current password, then the new one (12 characters or"
                    + " more), one per line, from standard input. Uses your own token (--token-file or"
                    + " $PALISADE_TOKEN_FILE), not the admin token. Your other browser sessions end; API tokens stay.")
    static final class ChangePassword extends ApiCommand {
        @Override
        public void run() {
            String current;
            String replacement;
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                current = in.readLine();
                replacement = in.readLine();
            } catch (IOException e) {
                throw new CliFailure("cannot read the passwords from standard input: " + e.getMessage());
            }
            if (current == null || current.isEmpty() || replacement == null || replacement.isEmpty()) {
                throw new CliFailure("give the current password and the new one on two lines of standard input");
            }
            JsonNode answer = api().post("account/password", ApiClient.object().put("current", current)
                    .put("new", replacement));
            done(answer, "password of " + answer.path("name").asText() + " changed; other browser sessions ended");
        }
    }

    @Command(name = "totp", mixinStandardHelpOptions = true,
            description = "Turn TOTP on (prints the otpauth:// URI for the operator's authenticator app) or --off.")
    static final class TotpCommand extends Named {
        @Option(names = "--off", description = "turn TOTP off")
        boolean off;

        @Override
        public void run() {
            if (off) {
                done(api().delete("operators/" + name + "/totp"), "TOTP off for " + name);
            } else {
                JsonNode answer = api().post("operators/" + name + "/totp", ApiClient.object());
                done(answer, "TOTP on for " + name + "; give this to the authenticator app (shown once):\n"
                        + answer.path("uri").asText());
            }
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issue an API token for an operator (it carries the operator's role); printed once.")
    static final class Token extends Named {
        @Option(names = "--label", defaultValue = "api", paramLabel = "TEXT", description = "what it is for (default: api)")
        String label;

        @Option(names = "--ttl", defaultValue = "90d", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "how long it is valid (default 90d, at most 366d)")
        Duration ttl;

        @Override
        public void run() {
            JsonNode answer = api().post("operators/" + name + "/tokens", ApiClient.object().put("label", label)
                    .put("ttl_seconds", ttl.toSeconds()));
            done(answer, answer.path("token").asText() + "\n(token " + answer.path("id").asText() + " of " + name
                    + ", valid until " + answer.path("expires").asText() + "; shown once)");
        }
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true, description = "List an operator's tokens.")
    static final class Tokens extends Named {
        @Override
        public void run() {
            JsonNode answer = api().get("operators/" + name + "/tokens", Map.of());
            StringBuilder text = new StringBuilder();
            for (JsonNode token : answer.path("tokens")) {
                text.append(token.path("id").asText()).append("  ").append(token.path("label").asText())
                        .append("  until ").append(token.path("expires").asText())
                        .append(token.hasNonNull("revoked") ? "  revoked " + token.path("revoked").asText() : "")
                        .append('\n');
            }
            done(answer, text.isEmpty() ? "no tokens" : text.toString().stripTrailing());
        }
    }

    @Command(name = "revoke-token", mixinStandardHelpOptions = true, description = "Revoke one of an operator's tokens.")
    static final class RevokeToken extends Named {
        @Parameters(index = "1", paramLabel = "TOKEN-ID")
        String id;

        @Override
        public void run() {
            done(api().delete("operators/" + name + "/tokens/" + id), "revoked token " + id + " of " + name);
        }
    }

    @Command(name = "login", mixinStandardHelpOptions = true,
            description = {"Log in as an operator (password on standard input) and print a session token (12 h).",
                    "Save it to a file (mode 0600) and pass --token-file FILE to other commands."})
    static final class Login extends Named {
        @Option(names = "--totp", paramLabel = "CODE", description = "the current code of the authenticator app")
        String totp;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("name", name).put("password", readLine("password"));
            if (totp != null) {
                body.put("totp", totp);
            }
            JsonNode answer = connection.anonymousClient().post("login", body);
            done(answer, answer.path("token").asText());
        }
    }
}
