package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import io.palisade.legacy.overlay.ConnectRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade overlay ...}: the isolation overlay's legacy hosts and the grants of tunnels to them. */
@Command(name = "overlay", mixinStandardHelpOptions = true,
        description = {"The isolation overlay: legacy hosts that only Palisade can reach ('overlay host set'), and"
                + " time-limited grants for enrolled systems to open tunnels to one port of one host ('overlay grant',"
                + " then 'palisade tunnel open' on the system). 'palisade up --overlay-port PORT' serves the tunnels.",
                "A tunnel needs the client's certificate, an active grant, and both ends healthy (neither quarantined"
                        + " nor revoked); revoking the grant or quarantining either end cuts open tunnels at once."})
public final class OverlayCommand extends CommandGroup {

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Let SUBJECT (an enrolled device, e.g. an engineering workstation) open tunnels to PORT of"
                    + " DEVICE until the grant expires or is revoked.")
    static final class Grant extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SUBJECT", description = "the device id of the system that connects")
        String subject;

        @Parameters(index = "1", paramLabel = "DEVICE:PORT", description = "the legacy host and port, e.g. plc-7:502")
        String target;

        @Option(names = "--ttl", required = true, converter = DurationConverter.class, paramLabel = "DURATION",
                description = "how long the grant lasts: 1m to 7d, e.g. 1h")
        Duration ttl;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "what the access is for;"
                + " recorded")
        String reason;

        @Override
        public void run() {
            ConnectRequest where;
            try {
                where = ConnectRequest.target(target);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ObjectNode body = ApiClient.object().put("subject", subject).put("device", where.device().value())
                    .put("port", where.port()).put("ttl_seconds", ttl.toSeconds()).put("reason", reason);
            JsonNode answer = api().post("overlay/grants", body);
            done(answer, "grant " + answer.path("id").asText() + ": " + describe(answer));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a grant; the tunnels open under it are cut at once.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", paramLabel = "GRANT")
        String grant;

        @Override
        public void run() {
            JsonNode answer = api().post("overlay/grants/" + grant + "/revoke", ApiClient.object());
            done(answer, "grant " + grant + " revoked; its tunnels are closed");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the active grants.")
    static final class ListGrants extends ApiCommand {
        @Option(names = "--all", description = "also expired and revoked grants")
        boolean all;

        @Override
        public void run() {
            JsonNode answer = api().get("overlay/grants", all ? Map.of("all", "true") : Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("grants").isEmpty()) {
                out().println(all ? "no grants" : "no active grants: no tunnel can be opened");
            }
            for (JsonNode grant : answer.path("grants")) {
                out().println(grant.path("id").asText() + ": " + describe(grant));
            }
            out().flush();
        }
    }

    @Command(name = "host", mixinStandardHelpOptions = true,
            description = "Legacy hosts: where Palisade reaches each (an address on the isolated segment).")
    public static final class Hosts extends CommandGroup {
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the address of a registered device that is a legacy host.")
    static final class SetHost extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;

        @Parameters(index = "1", paramLabel = "ADDRESS", description = "host name or IP address Palisade connects to")
        String address;

        @Option(names = "--modbus-port", paramLabel = "PORT", description = "a port whose traffic is Modbus/TCP,"
                + " decoded into events and detection (repeatable; default 502)")
        List<Integer> modbusPorts = new ArrayList<>();

        @Option(names = "--no-modbus", description = "decode no port as Modbus/TCP")
        boolean noModbus;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("address", address);
            if (noModbus || !modbusPorts.isEmpty()) {
                modbusPorts.forEach(body.putArray("modbus_ports")::add);
            }
            JsonNode answer = api().put("overlay/hosts/" + device, body);
            done(answer, "overlay host " + device + " at " + answer.path("address").asText() + describePorts(answer));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the legacy hosts.")
    static final class ListHosts extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("overlay/hosts", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            if (answer.path("hosts").isEmpty()) {
                out().println("no overlay hosts");
            }
            for (JsonNode host : answer.path("hosts")) {
                out().println(host.path("device").asText() + " at " + host.path("address").asText()
                        + describePorts(host));
            }
            out().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Forget a legacy host's address.")
    static final class DeleteHost extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;

        @Override
        public void run() {
            done(api().delete("overlay/hosts/" + device), "overlay host " + device + " deleted");
        }
    }

    static String describe(JsonNode grant) {
        return grant.path("subject").asText() + " -> " + grant.path("device").asText() + ":"
                + grant.path("port").asText() + " until " + grant.path("expires").asText()
                + (grant.has("revoked") ? " (revoked " + grant.path("revoked").asText() + " by "
                + grant.path("revoked_by").asText() + ")" : "")
                + ", granted by " + grant.path("granted_by").asText() + ": " + grant.path("reason").asText();
    }

    private static String describePorts(JsonNode host) {
        List<String> ports = new ArrayList<>();
        host.path("modbus_ports").forEach(port -> ports.add(port.asText()));
        return ports.isEmpty() ? "" : " (Modbus/TCP on " + String.join(", ", ports) + ")";
    }
}
