package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import io.palisade.firmware.image.FirmwareImage;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.pki.tpm.TpmPcr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade attest ...}: TPM attestation of devices' boot, per profile. */
@Command(name = "attest", mixinStandardHelpOptions = true,
        description = "Remote attestation: the PCR values a profile's devices must quote from their TPM at every"
                + " connect, and challenges on demand. A device that fails is quarantined with the reason.")
public final class AttestCommand extends CommandGroup {

    @Command(name = "expect", mixinStandardHelpOptions = true,
            description = "Set what PROFILE's devices may quote: PCR --pcr (default 9) as the boot verifier leaves it"
                    + " after starting the signed --image (verified here with --firmware-key). Several --image: a"
                    + " device may run any of them (a roll-out under way). Or --value computed elsewhere.")
    static final class Expect extends ApiCommand {
        @Parameters(paramLabel = "PROFILE")
        String profile;

        @Option(names = "--pcr", defaultValue = "9", paramLabel = "N", description = "The PCR (default: ${DEFAULT-VALUE}).")
        int pcr;

        @Option(names = "--image", paramLabel = "FILE", description = "A signed firmware image the device boots.")
        List<Path> images = new ArrayList<>();

        @Option(names = "--firmware-key", paramLabel = "FILE",
                description = "The firmware signing key's public half (PEM): images must verify with it.")
        Path firmwareKey;

        @Option(names = "--value", paramLabel = "HEX", description = "An accepted PCR value itself (64 hex digits);"
                + " repeatable.")
        List<String> values = new ArrayList<>();

        @Override
        public void run() {
            List<byte[]> accepted = new ArrayList<>();
            List<String> described = new ArrayList<>();
            if (!values.isEmpty() && images.isEmpty()) {
                for (String value : values) {
                    try {
                        accepted.add(HexFormat.of().parseHex(value.strip()));
                    } catch (IllegalArgumentException e) {
                        throw new CliFailure("--value must be 64 hex digits, not '" + value + "'");
                    }
                }
                described.add("values given by hand");
            } else if (values.isEmpty() && !images.isEmpty()) {
                if (firmwareKey == null) {
                    throw new CliFailure("--image needs --firmware-key: only verified images may define what devices run");
                }
                try {
                    PublicKey key = FirmwareKeys.readPublic(firmwareKey);
                    for (Path image : images) {
                        ImageVerifier.Verified verified = ImageVerifier.verify(FirmwareImage.parse(Files.readAllBytes(image)),
                                List.of(key), 0);
                        accepted.add(TpmPcr.expected(List.of(verified.digest())));
                        described.add(image.getFileName() + " " + verified.version());
                    }
                } catch (IOException | ImageFormatException e) {
                    throw new CliFailure(e.getMessage());
                }
            } else {
                throw new CliFailure("give either --image (with --firmware-key) or --value");
            }
            String source = String.join(", ", described);
            ObjectNode body = ApiClient.object().put("source", source);
            var list = body.putObject("pcrs").putArray(Integer.toString(pcr));
            accepted.forEach(value -> list.add(HexFormat.of().formatHex(value)));
            JsonNode answer = api().put("attestation/profiles/" + profile, body);
            done(answer, "profile " + profile + ": PCR " + pcr + " must be "
                    + (accepted.size() == 1 ? "" : "one of ")
                    + String.join(", ", accepted.stream().map(HexFormat.of()::formatHex).toList()) + " (" + source + ")");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The PCR values PROFILE's devices must quote.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "PROFILE")
        String profile;

        @Override
        public void run() {
            JsonNode answer = api().get("attestation/profiles/" + profile, Map.of());
            StringBuilder text = new StringBuilder("profile " + profile + " (" + answer.path("source").asText() + ")");
            answer.path("pcrs").fields().forEachRemaining(pcr -> pcr.getValue().forEach(value -> text
                    .append(System.lineSeparator()).append("  PCR ").append(pcr.getKey()).append(" = ")
                    .append(value.asText())));
            done(answer, text.toString());
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Stop attesting PROFILE's devices.")
    static final class Clear extends ApiCommand {
        @Parameters(paramLabel = "PROFILE")
        String profile;

        @Override
        public void run() {
            done(api().delete("attestation/profiles/" + profile), "profile " + profile + " is no longer attested");
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Challenge DEVICE's TPM now; the outcome is an attestation.passed or attestation.failed event.")
    static final class Run extends ApiCommand {
        @Parameters(paramLabel = "DEVICE")
        String device;

        @Override
        public void run() {
            JsonNode answer = api().post("devices/" + device + "/attest", ApiClient.object());
            done(answer, "challenged " + device + "; it must answer by " + answer.path("deadline").asText()
                    + " (see `palisade events --type attestation.passed`)");
        }
    }
}
