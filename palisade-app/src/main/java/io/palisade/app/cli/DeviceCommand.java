package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade device ...}: fleet management against a running instance, and device-side enrollment. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Register, enroll and manage devices.")
public final class DeviceCommand extends CommandGroup {

    /** Options shared by the admin subcommands. */
    abstract static class AdminCommand extends ApiCommand {
        void printDevice(JsonNode device) {
            if (json) {
                Output.json(out(), device);
            } else {
                out().println(Output.deviceHeader());
                out().println(Output.deviceLine(device));
                out().flush();
            }
        }

        void printCommand(JsonNode command) {
            if (json) {
                Output.json(out(), command);
                return;
            }
            out().println(command.path("command").asText() + " sent to " + command.path("device").asText()
                    + command.path("target").asText("").transform(t -> t.isEmpty() ? "" : " (" + t + ")")
                    + "; valid until " + command.path("expires_at").asText()
                    + ". The device's answer is recorded as an event (palisade events --follow).");
            out().flush();
        }

        void printRegistration(JsonNode registration) {
            if (json) {
                Output.json(out(), registration);
                return;
            }
            PrintWriter out = out();
            String id = registration.path("id").asText();
            out.println("device " + id + " registered (profile " + registration.path("profile").asText()
                    + ", segment " + registration.path("segment").asText() + ")");
            out.println("enrollment token (one use, expires " + registration.path("token_expires_at").asText() + "):");
            out.println(registration.path("enrollment_token").asText());
            out.println("enroll on the device (after copying " + connection.dataDirectory().rootCaFile()
                    + " to it as root.crt) with:");
            out.println("  palisade device enroll " + id + " --token <token> --server " + connection.serverUrl()
                    + " --ca root.crt --out DIR");
            out.flush();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a device and print its one-time enrollment token.")
    static final class Add extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "Device id: 1-64 of A-Z a-z 0-9 . _ -")
        String id;

        @Option(names = "--profile", defaultValue = "default", description = "Device profile (default: ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--segment", defaultValue = "default", description = "Network segment (default: ${DEFAULT-VALUE}).")
        String segment;

        @Option(names = "--tag", paramLabel = "TAG", description = "A label for roll-out targeting (repeatable).")
        java.util.List<String> tags = new java.util.ArrayList<>();

        @Option(names = "--token-ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                description = "How long the enrollment token stays valid (default: ${DEFAULT-VALUE}).")
        Duration tokenTtl;

        @Option(names = "--role", paramLabel = "ROLE", description = "The role its certificates carry (the Modbus/TCP"
                + " Security role extension, 1.3.6.1.4.1.50316.802.1), for role-based rules such as 'modbus set --role'.")
        String role;

        @Option(names = "--psk", description = "Also issue a pre-shared key for CoAP over DTLS (shown once; the PSK"
                + " identity is the device id), for a device that cannot use certificates.")
        boolean psk;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("id", id).put("profile", profile).put("segment", segment)
                    .put("token_ttl_seconds", tokenTtl.toSeconds());
            if (role != null) {
                body.put("role", role);
            }
            tags.forEach(body.putArray("tags")::add);
            ApiClient api = connection.apiClient();
            JsonNode registration = api.post("devices", body);
            if (!psk) {
                printRegistration(registration);
                return;
            }
            JsonNode key = api.post("devices/" + id + "/psk", ApiClient.object());
            if (json) {
                ((ObjectNode) registration).put("psk", key.path("psk").asText());
            }
            printRegistration(registration);
            if (!json) {
                Psk.print(out(), key);
            }
        }
    }

    @Command(name = "psk", mixinStandardHelpOptions = true,
            description = "Issue a new pre-shared key for CoAP over DTLS (the old one stops working at the device's"
                    + " next handshake); shown once.")
    static final class Psk extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode key = connection.apiClient().post("devices/" + id + "/psk", ApiClient.object());
            if (json) {
                Output.json(out(), key);
                return;
            }
            print(out(), key);
        }

        static void print(PrintWriter out, JsonNode key) {
            out.println("pre-shared key of device " + key.path("device").asText() + " (PSK identity "
                    + key.path("identity").asText() + "; shown once, give it to the device):");
            out.println(key.path("psk").asText());
            out.flush();
        }
    }

    @Command(name = "rpk", mixinStandardHelpOptions = true,
            description = "Register the device's raw public key for CoAP over DTLS (RFC 7250): an EC P-256 PEM public"
                    + " key, or a PEM certificate whose key it is (e.g. the device's own cert.pem). The device then"
                    + " handshakes with the key alone.")
    static final class Rpk extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "PEM PUBLIC KEY or"
                + " CERTIFICATE")
        java.nio.file.Path publicKey;

        @Override
        public void run() {
            String pem;
            try {
                pem = java.nio.file.Files.readString(publicKey, java.nio.charset.StandardCharsets.US_ASCII);
            } catch (java.io.IOException e) {
                throw new CliFailure("cannot read " + publicKey + ": " + e.getMessage());
            }
            JsonNode answer = connection.apiClient().put("devices/" + id + "/rpk", ApiClient.object()
                    .put("public_key", pem));
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("raw public key of device " + id + " registered (SHA-256 " + answer.path("sha256").asText()
                    + ")");
            out().flush();
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issue a new one-time enrollment token for a registered device (the old one stops working).")
    static final class Token extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--token-ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                description = "How long the enrollment token stays valid (default: ${DEFAULT-VALUE}).")
        Duration tokenTtl;

        @Override
        public void run() {
            printRegistration(connection.apiClient().post("devices/" + id + "/token",
                    ApiClient.object().put("token_ttl_seconds", tokenTtl.toSeconds())));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered devices.")
    static final class ListDevices extends AdminCommand {
        @Override
        public void run() {
            JsonNode answer = connection.apiClient().get("devices", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println(Output.deviceHeader());
            answer.path("devices").forEach(d -> out().println(Output.deviceLine(d)));
            out().flush();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one device.")
    static final class Show extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            printDevice(connection.apiClient().get("devices/" + id, Map.of()));
        }
    }

    /** revoke, quarantine and release share their shape: POST with an optional reason. */
    abstract static class StandingChange extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        ReasonOption reason;

        abstract String action();

        ObjectNode body() {
            return reason.body();
        }

        @Override
        public void run() {
            printDevice(connection.apiClient().post("devices/" + id + "/" + action(), body()));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke every certificate of a device and end its identity (listed in the CRL).")
    static final class Revoke extends StandingChange {
        @Option(names = "--crl-reason", paramLabel = "REASON", defaultValue = "unspecified",
                description = "The reason relying parties read in the CRL: unspecified, key-compromise,"
                        + " affiliation-changed, superseded or cessation-of-operation (default: ${DEFAULT-VALUE}).")
        String crlReason;

        @Override
        String action() {
            return "revoke";
        }

        @Override
        ObjectNode body() {
            return reason.body().put("crl_reason", crlReason);
        }
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true,
            description = "Take a device out of service: its certificates are revoked (cessation of operation), its"
                    + " identity ends, it leaves every roll-out it has not finished; its history stays.")
    static final class Decommission extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        ReasonOption reason;

        @Override
        public void run() {
            JsonNode answer = connection.apiClient().post("devices/" + id + "/decommission", reason.body());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("device " + id + " decommissioned; revoked " + answer.path("revoked_serials").size()
                    + " certificates");
            out().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a device from the registry once none of its certificates is valid or on the CRL"
                    + " (never enrolled, or decommissioned and expired); its events are kept.")
    static final class Delete extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode answer = connection.apiClient().delete("devices/" + id);
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("device " + id + " deleted; its events are kept");
            out().flush();
        }
    }

    @Command(name = "certificates", mixinStandardHelpOptions = true,
            description = "The certificates issued to a device, newest first: serial, validity, state, revocation.")
    static final class Certificates extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            JsonNode answer = connection.apiClient().get("devices/" + id + "/certificates", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().printf("%-34s %-24s %-24s %-8s %s%n", "SERIAL", "NOT BEFORE", "NOT AFTER", "STATE", "REVOKED");
            for (JsonNode certificate : answer.path("certificates")) {
                out().printf("%-34s %-24s %-24s %-8s %s%n", certificate.path("serial").asText(),
                        certificate.path("not_before").asText(), certificate.path("not_after").asText(),
                        certificate.path("state").asText(), certificate.has("revoked_at")
                                ? certificate.path("revoked_at").asText() + " (" + certificate.path("revocation_reason")
                                .asText() + ")" : "");
            }
            out().flush();
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = "Restrict a device to its quarantine channel.")
    static final class Quarantine extends StandingChange {
        @Override
        String action() {
            return "quarantine";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a device from quarantine.")
    static final class Release extends StandingChange {
        @Override
        String action() {
            return "release";
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Add or remove a device's tags (labels that roll-outs can target with --tag).")
    static final class Tag extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--add", paramLabel = "TAG", description = "Tag to add (repeatable).")
        java.util.List<String> add = new java.util.ArrayList<>();

        @Option(names = "--remove", paramLabel = "TAG", description = "Tag to remove (repeatable).")
        java.util.List<String> remove = new java.util.ArrayList<>();

        @Override
        public void run() {
            ObjectNode body = ApiClient.object();
            add.forEach(body.putArray("add")::add);
            remove.forEach(body.putArray("remove")::add);
            printDevice(connection.apiClient().post("devices/" + id + "/tags", body));
        }
    }

    @Command(name = "wipe", mixinStandardHelpOptions = true,
            description = "Send a quarantined device a signed command to crypto-erase its data and keys; it must"
                    + " enroll again afterwards. Completion is recorded as a device.wiped event.")
    static final class Wipe extends SignedCommand {
        Wipe() {
            super("wipe");
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Send a quarantined device a signed command to stop its application and refuse every command"
                    + " but unlock and wipe, also across restarts. Recorded as a device.locked event.")
    static final class Lock extends SignedCommand {
        Lock() {
            super("lock");
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Send a device a signed command that ends its lock and starts its application again (no"
                    + " quarantine needed). Recorded as a device.unlocked event.")
    static final class Unlock extends SignedCommand {
        Unlock() {
            super("unlock");
        }
    }

    /** A signed command without arguments but the device (and an optional reason). */
    abstract static class SignedCommand extends AdminCommand {
        private final String action;

        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        ReasonOption reason;

        SignedCommand(String action) {
            this.action = action;
        }

        @Override
        public void run() {
            printCommand(connection.apiClient().post("devices/" + id + "/" + action, reason.body()));
        }
    }

    @Command(name = "reflash", mixinStandardHelpOptions = true,
            description = "Send a quarantined device a signed command to install a known-good image permanently and"
                    + " reboot. Completion is recorded as a firmware.installed event.")
    static final class Reflash extends AdminCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--image", paramLabel = "TARGET", required = true,
                description = "The published repository target to install, e.g. firmware/sensor-1.0.0.img.")
        String image;

        @Mixin
        ReasonOption reason;

        @Override
        public void run() {
            printCommand(connection.apiClient().post("devices/" + id + "/reflash", reason.body().put("target", image)));
        }
    }
}
