package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.client.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade rfid ...}: the token vault behind passive tags, and the readers that report them. */
@Command(name = "rfid", mixinStandardHelpOptions = true,
        description = {"Passive RFID tags carry only tokens: 96-bit random EPCs (GID-96 layout) that mean nothing"
                + " without this vault. 'rfid issue' stores a record and answers the token to write to a tag;"
                + " 'rfid lookup' reads it back (operator role, every lookup recorded); 'rfid rotate' when the tag is"
                + " rewritten; 'rfid erase' destroys the record's key (crypto-erase).",
                "Readers are enrolled devices publishing {\"tags\":[{\"epc\":...,\"time\":...}]} to"
                        + " devices/ID/rfid/tags; 'rfid reader set' places them (metres) so a token seen at two readers"
                        + " too far apart for the time between is a clone (radio.finding events)."})
public final class RfidCommand extends CommandGroup {

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Store a record (at most 4 KiB of text) and print the new token to write to a tag.")
    static final class Issue extends ApiCommand {
        @Option(names = "--record", paramLabel = "TEXT", description = "the record")
        String record;

        @Option(names = "--record-file", paramLabel = "FILE", description = "the record, from a file")
        Path recordFile;

        @Override
        public void run() {
            if ((record == null) == (recordFile == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --record or --record-file");
            }
            String text = record;
            if (recordFile != null) {
                try {
                    text = Files.readString(recordFile, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CliFailure("cannot read " + recordFile + ": " + e.getMessage());
                }
            }
            JsonNode answer = api().post("rfid/tokens", ApiClient.object().put("record", text));
            done(answer, answer.path("token").asText());
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = "Print what a token stands for (recorded as an rfid.lookup event).")
    static final class Lookup extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Override
        public void run() {
            JsonNode answer = api().get("rfid/tokens/" + token, Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            String state = answer.path("state").asText();
            if (!state.equals("active")) { // no record to print: a script must not take the empty answer for one
                throw new CliFailure("token " + token + " is " + state
                        + (answer.has("successor") ? " (now " + answer.path("successor").asText() + ")" : ""));
            }
            out().println(answer.path("record").asText());
            out().flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens and their states (never"
            + " records).")
    static final class ListTokens extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("rfid/tokens", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("tokens").isEmpty()) {
                out().println("the vault is empty");
            }
            for (JsonNode token : answer.path("tokens")) {
                out().println(token.path("token").asText() + " " + token.path("state").asText()
                        + (token.has("successor") ? " -> " + token.path("successor").asText() : ""));
            }
            out().flush();
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give the record a new token (write it to the tag); the old token ends, and seeing it again"
                    + " is a finding.")
    static final class Rotate extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Override
        public void run() {
            JsonNode answer = api().post("rfid/tokens/" + token + "/rotate", ApiClient.object());
            done(answer, answer.path("token").asText());
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = "Destroy the record's key and ciphertext (crypto-erase); the token is remembered as erased.")
    static final class Erase extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Override
        public void run() {
            done(api().delete("rfid/tokens/" + token), "token " + token + " erased");
        }
    }

    @Command(name = "passwords", mixinStandardHelpOptions = true,
            description = "Keep a tag's Gen2 kill and access passwords in the vault (sealed with its record).")
    static final class Passwords extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Option(names = "--kill", paramLabel = "HEX8", description = "the kill password, 8 hex digits")
        String kill;

        @Option(names = "--access", paramLabel = "HEX8", description = "the access password, 8 hex digits")
        String access;

        @Override
        public void run() {
            var body = ApiClient.object();
            if (kill != null) {
                body.put("kill", kill);
            }
            if (access != null) {
                body.put("access", access);
            }
            done(api().put("rfid/tokens/" + token + "/passwords", body), "passwords of " + token + " kept");
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Let one reader take one of a tag's passwords once, within 10 minutes, for one operation.",
                    "The reader claims it with its device certificate: POST /rfid/claim {\"token\", \"operation\"}"
                            + " over mutual TLS (e.g. curl --cert cert.pem --key key.pem)."})
    static final class Release extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Option(names = "--reader", required = true, paramLabel = "READER")
        String reader;

        @Option(names = "--operation", required = true, paramLabel = "kill|access")
        String operation;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why; recorded")
        String reason;

        @Override
        public void run() {
            JsonNode answer = api().post("rfid/tokens/" + token + "/releases", ApiClient.object().put("reader", reader)
                    .put("operation", operation).put("reason", reason));
            done(answer, "release " + answer.path("release").asText() + ": the " + operation + " password of "
                    + token + " for reader " + reader + ", once, within " + answer.path("valid_seconds").asInt()
                    + " s");
        }
    }

    @Command(name = "reader", mixinStandardHelpOptions = true, description = "Where readers stand.")
    public static final class Readers extends CommandGroup {
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Place a reader (an enrolled device) on the site's plan, in metres.")
    static final class SetReader extends ApiCommand {
        @Parameters(index = "0", paramLabel = "READER")
        String reader;

        @Option(names = "--x", required = true, paramLabel = "METRES")
        double x;

        @Option(names = "--y", required = true, paramLabel = "METRES")
        double y;

        @Option(names = "--llrp", paramLabel = "HOST[:PORT]", description = "a reader that speaks LLRP: Palisade"
                + " connects to it (port 5084 unless given) and takes its RO_ACCESS_REPORTs; without it the reader"
                + " publishes to devices/READER/rfid/tags")
        String llrp;

        @Override
        public void run() {
            var body = ApiClient.object().put("x", x).put("y", y);
            if (llrp != null) {
                body.put("llrp", llrp);
            }
            JsonNode answer = api().put("rfid/readers/" + reader, body);
            done(answer, "reader " + reader + " at x " + x + " m, y " + y + " m" + (llrp == null ? ""
                    : ", LLRP " + llrp));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List placed readers.")
    static final class ListReaders extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("rfid/readers", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("readers").isEmpty()) {
                out().println("no readers placed");
            }
            for (JsonNode reader : answer.path("readers")) {
                out().println(reader.path("reader").asText() + " at x " + reader.path("x").asDouble() + " m, y "
                        + reader.path("y").asDouble() + " m" + (reader.has("llrp") ? ", LLRP "
                        + reader.path("llrp").asText() : ""));
            }
            out().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Forget a reader's place.")
    static final class DeleteReader extends ApiCommand {
        @Parameters(index = "0", paramLabel = "READER")
        String reader;

        @Override
        public void run() {
            done(api().delete("rfid/readers/" + reader), "reader " + reader + " forgotten");
        }
    }
}
