package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import io.palisade.core.radio.IngestReport;
import io.palisade.radio.capture.PcapChunks;
import io.palisade.radio.ieee802154.FrameFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade zigbee ...}: the ZigBee / 802.15.4 network's keys and bindings, and verifying captures. */
@Command(name = "zigbee", mixinStandardHelpOptions = true,
        description = {"ZigBee and IEEE 802.15.4 devices behind a sniffer or coordinator: the keys Palisade verifies"
                + " their frames with ('zigbee key add'), which device each IEEE address is ('zigbee bind'), and"
                + " verifying a capture file ('zigbee ingest'). 'palisade up --zigbee-port PORT' takes a live ZEP feed.",
                "Verified reports go to devices/ID/zigbee/ENDPOINT/CLUSTER through the device's policies and quota;"
                        + " MIC failures, replays, unsecured frames and the default trust-center link key are"
                        + " radio.finding events."})
public final class ZigbeeCommand extends CommandGroup {

    /** Pieces small enough for the API's request-body limit (64 KiB). */
    static final int CHUNK_BYTES = 60 * 1024;

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Network, MAC and link keys.")
    public static final class Keys extends CommandGroup {
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add or replace a key: 'network SEQ' (the network key with key sequence number SEQ),"
                    + " 'mac INDEX' (an 802.15.4 MAC key) or 'link IEEE' (the trust-center link key of that device).",
                    "Without --key a random key is made and shown once, for loading into the coordinator."})
    static final class AddKey extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "network, mac or link")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME", description = "key sequence number, key index, or IEEE address")
        String name;

        @Option(names = "--key", paramLabel = "HEX", description = "the key (32 hex digits), as the coordinator has it")
        String key;

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("kind", kind).put("name", name);
            if (key != null) {
                body.put("key", key);
            }
            JsonNode answer = api().post("zigbee/keys", body);
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("ZigBee " + kind + " key " + name + (key == null ? " made (shown once, load it into the"
                    + " coordinator):" : " stored"));
            if (key == null) {
                out().println(answer.path("key").asText());
            }
            out().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a key.")
    static final class DeleteKey extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KIND")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            done(api().delete("zigbee/keys/" + kind + "/" + name), "ZigBee " + kind + " key " + name + " deleted");
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = "Say which registered device an IEEE address is: its verified reports go to its topics.")
    static final class Bind extends ApiCommand {
        @Parameters(index = "0", paramLabel = "IEEE", description = "e.g. 00:12:4b:00:01:02:03:04")
        String ieee;

        @Parameters(index = "1", paramLabel = "DEVICE")
        String device;

        @Override
        public void run() {
            JsonNode answer = api().put("zigbee/devices/" + ieee, ApiClient.object().put("device", device));
            done(answer, answer.path("ieee").asText() + " is device " + device);
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true, description = "Forget an IEEE address's device.")
    static final class Unbind extends ApiCommand {
        @Parameters(index = "0", paramLabel = "IEEE")
        String ieee;

        @Override
        public void run() {
            done(api().delete("zigbee/devices/" + ieee), ieee + " unbound");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their material) and"
            + " bindings.")
    static final class ListAll extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().get("zigbee", Map.of());
            if (json) {
                Output.json(out(), answer);
                return;
            }
            out().println("security level " + answer.path("security_level").asInt());
            if (answer.path("keys").isEmpty()) {
                out().println("no keys: nothing can be verified");
            }
            for (JsonNode key : answer.path("keys")) {
                out().println(key.path("kind").asText() + " key " + key.path("name").asText() + " (since "
                        + key.path("created_at").asText() + ")");
            }
            for (JsonNode binding : answer.path("devices")) {
                out().println(binding.path("ieee").asText() + " is device " + binding.path("device").asText());
            }
            out().flush();
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Verify the frames of a capture (classic pcap, link type 195 or 230; pcapng: 'editcap -F"
                    + " pcap') and forward the verified reports, as the live feed does; prints what became of them.")
    static final class Ingest extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public void run() {
            List<byte[]> chunks;
            try {
                chunks = PcapChunks.split(Files.readAllBytes(file), CHUNK_BYTES);
            } catch (IOException e) {
                throw new CliFailure("cannot read " + file + ": " + e.getMessage());
            } catch (FrameFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), file + ": " + e.getMessage());
            }
            IngestReport total = IngestReport.NONE;
            for (byte[] chunk : chunks) {
                total = total.plus(report(api().postBytes("zigbee/captures", "application/vnd.tcpdump.pcap", chunk)));
            }
            if (json) {
                Output.json(out(), io.palisade.control.http.ZigbeeRoutes.toJson(total));
                return;
            }
            out().println(file + ": " + total.frames() + " frames, " + total.forwarded() + " forwarded, "
                    + total.ignored() + " ignored" + (total.badFcs() > 0 ? ", " + total.badFcs() + " bad FCS" : "")
                    + (total.refused() + total.overQuota() + total.brokerUnavailable() > 0 ? ", not forwarded: "
                    + total.refused() + " refused, " + total.overQuota() + " over quota, " + total.brokerUnavailable()
                    + " broker unreachable" : ""));
            total.findings().forEach((finding, count) -> out().println("  finding " + finding + ": " + count
                    + " (palisade events --type radio.finding)"));
            out().flush();
        }

        private static IngestReport report(JsonNode answer) {
            Map<String, Integer> findings = new TreeMap<>();
            answer.path("findings").fields().forEachRemaining(e -> findings.put(e.getKey(), e.getValue().asInt()));
            return new IngestReport(answer.path("frames").asInt(), answer.path("forwarded").asInt(),
                    answer.path("ignored").asInt(), findings, answer.path("refused").asInt(),
                    answer.path("over_quota").asInt(), answer.path("broker_unavailable").asInt(),
                    answer.path("bad_fcs").asInt());
        }
    }
}
