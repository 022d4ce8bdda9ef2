package io.palisade.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.firmware.image.FirmwareImage;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.image.Tlv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade firmware ...}: MCUboot-compatible signing tool. Works offline; needs no running instance. */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = "Sign and check firmware images in MCUboot's format (bootable by MCUboot, same bytes as imgtool).")
public final class FirmwareCommand extends CommandGroup {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make a signing key (PKCS#8 PEM, 0600) and its public key beside it (NAME.pub.pem).")
    static final class Keygen implements Runnable {
        @Option(names = "--type", defaultValue = "ecdsa-p256", description = "ecdsa-p256 (default) or ed25519.")
        String type;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Private key file to write.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOption output;

        @Override
        public void run() {
            FirmwareKeys.Type keyType = switch (type) {
                case "ecdsa-p256" -> FirmwareKeys.Type.ECDSA_P256;
                case "ed25519" -> FirmwareKeys.Type.ED25519;
                default -> throw new CliFailure("--type must be ecdsa-p256 or ed25519, got '" + type + "'");
            };
            if (Files.exists(out)) {
                throw new CliFailure(out + " exists; refusing to overwrite a signing key");
            }
            try {
                Path publicFile = FirmwareKeys.write(FirmwareKeys.generate(keyType), out);
                output.print(spec.commandLine().getOut(), "wrote " + out + " (private, 0600) and " + publicFile,
                        JsonOption.object().put("type", type).put("private_key", out.toString())
                                .put("public_key", publicFile.toString()));
            } catch (IOException | GeneralSecurityException e) {
                throw new CliFailure("cannot write key: " + e.getMessage());
            }
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign a payload into an MCUboot image.")
    static final class Sign implements Runnable {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private signing key (PEM).")
        Path key;

        @Option(names = "--version", required = true, paramLabel = "X.Y.Z[+B]", description = "Image version.")
        String version;

        @Option(names = "--security-counter", paramLabel = "N",
                description = "Security counter for anti-rollback (protected TLV); omitted when not given.")
        Long securityCounter;

        @Option(names = "--header-size", defaultValue = "0x20", paramLabel = "BYTES",
                description = "Bytes before the payload, e.g. 0x200 (default: ${DEFAULT-VALUE}).")
        String headerSize;

        @Option(names = "--pad-header", description = "Accepted for imgtool compatibility: the header is always"
                + " written in front of the payload, padded with 0xff.")
        boolean padHeader;

        @Option(names = "--encrypt", paramLabel = "FILE",
                description = "Encrypt the payload for the holder of this P-256 public key (ECIES-P256, AES-128-CTR,"
                        + " as imgtool --encrypt); the device decrypts with its private key before verifying.")
        Path encryptFor;

        @Option(names = "--load-address", defaultValue = "0", paramLabel = "ADDRESS", description = "Load address.")
        String loadAddress;

        @Parameters(index = "0", paramLabel = "IN", description = "Payload (raw binary).")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "Signed image to write.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOption output;

        @Override
        public void run() {
            try {
                KeyPair keys = FirmwareKeys.readPrivate(key);
                byte[] image = ImageSigner.sign(Files.readAllBytes(in), ImageSigner.softwareKey(keys.getPrivate(),
                                keys.getPublic()), ImageVersion.parse(version),
                        securityCounter == null ? OptionalLong.empty() : OptionalLong.of(securityCounter),
                        Integer.decode(headerSize), Long.decode(loadAddress),
                        encryptFor == null ? java.util.Optional.empty()
                                : java.util.Optional.of(FirmwareKeys.readPublic(encryptFor)));
                Files.write(out, image);
                FirmwareImage parsed = FirmwareImage.parse(image);
                var node = JsonOption.object().put("image", out.toString())
                        .put("version", parsed.header().version().toString()).put("bytes", image.length)
                        .put("encrypted", encryptFor != null).put("security_counter", parsed.securityCounter());
                output.print(spec.commandLine().getOut(), "signed " + out + ": version " + parsed.header().version()
                        + ", security counter " + parsed.securityCounter() + ", " + image.length + " bytes"
                        + (encryptFor == null ? "" : ", encrypted for " + encryptFor), node);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            } catch (IOException | GeneralSecurityException | ImageFormatException e) {
                throw new CliFailure("cannot sign: " + e.getMessage());
            }
        }
    }

    @Command(name = "admit-key", mixinStandardHelpOptions = true,
            description = "Write a key rotation statement: the current firmware key (--key) tells devices' boot"
                    + " verifiers to trust --new-key from now on (and with --retire-old, to stop trusting itself).")
    static final class AdmitKey implements Runnable {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "Current private firmware key (PEM).")
        Path key;

        @Option(names = "--new-key", required = true, paramLabel = "FILE", description = "Public key to admit (PEM).")
        Path newKey;

        @Option(names = "--sequence", required = true, paramLabel = "N",
                description = "Statement number, above every earlier one (devices refuse replays).")
        long sequence;

        @Option(names = "--retire-old", description = "Devices stop trusting --key once they accept the statement.")
        boolean retireOld;

        @Parameters(paramLabel = "OUT", description = "Statement file to write (deliver it as a repository target).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOption output;

        @Override
        public void run() {
            try {
                KeyPair keys = FirmwareKeys.readPrivate(key);
                byte[] statement = io.palisade.firmware.boot.KeyRotation.create(ImageSigner.softwareKey(keys.getPrivate(),
                        keys.getPublic()), FirmwareKeys.readPublic(newKey), sequence, retireOld);
                Files.write(out, statement);
                output.print(spec.commandLine().getOut(), "wrote " + out + ": statement " + sequence + " admits "
                        + newKey + (retireOld ? " and retires " + key : "") + " (" + statement.length + " bytes)",
                        JsonOption.object().put("statement", out.toString()).put("sequence", sequence)
                                .put("admits", newKey.toString()).put("retires_current_key", retireOld)
                                .put("bytes", statement.length));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            } catch (IOException | GeneralSecurityException e) {
                throw new CliFailure("cannot write the statement: " + e.getMessage());
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify an image against trusted public keys; exit 0 and print version, counter and digest.")
    static final class Verify implements Runnable {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "Trusted public key (repeatable).")
        List<Path> keys = new ArrayList<>();

        @Option(names = "--min-counter", defaultValue = "0", paramLabel = "N",
                description = "Refuse images whose security counter is lower (the device's stored counter).")
        long minimumCounter;

        @Option(names = "--decrypt-key", paramLabel = "FILE",
                description = "The device's private encryption key (PEM), for images signed with --encrypt.")
        Path decryptKey;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Parameters(paramLabel = "IMAGE")
        Path image;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            List<PublicKey> trusted = new ArrayList<>();
            try {
                for (Path key : keys) {
                    trusted.add(FirmwareKeys.readPublic(key));
                }
                FirmwareImage parsed = parse(image);
                if (decryptKey != null) {
                    parsed = FirmwareImage.parse(io.palisade.firmware.image.ImageEncryption.decrypt(parsed,
                            FirmwareKeys.readPrivate(decryptKey).getPrivate()));
                }
                ImageVerifier.Verified verified = ImageVerifier.verify(parsed, trusted, minimumCounter);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Output.json(out, JSON.createObjectNode().put("valid", true)
                            .put("version", verified.version().toString())
                            .put("security_counter", verified.securityCounter())
                            .put("sha256", verified.digestHex()).put("signature", verified.signatureType()));
                } else {
                    out.println("valid: version " + verified.version() + ", security counter "
                            + verified.securityCounter() + ", sha256 " + verified.digestHex() + ", "
                            + verified.signatureType());
                    out.flush();
                }
            } catch (IOException e) {
                throw new CliFailure(e.getMessage());
            } catch (ImageFormatException e) {
                throw new CliFailure("invalid image: " + e.getMessage());
            }
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an image's header and TLVs.")
    static final class Inspect implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Parameters(paramLabel = "IMAGE")
        Path image;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            FirmwareImage parsed = parse(image);
            ObjectNode node = JSON.createObjectNode();
            node.put("version", parsed.header().version().toString());
            node.put("load_address", parsed.header().loadAddress());
            node.put("header_size", parsed.header().headerSize());
            node.put("image_size", parsed.header().imageSize());
            node.put("protected_tlv_size", parsed.header().protectedTlvSize());
            node.put("flags", parsed.header().flags());
            tlvs(node.putArray("protected_tlvs"), parsed.protectedTlvs());
            tlvs(node.putArray("unprotected_tlvs"), parsed.unprotectedTlvs());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, node);
                return;
            }
            out.printf("version %s, header %d bytes, payload %d bytes, load address 0x%x, flags 0x%x%n",
                    parsed.header().version(), parsed.header().headerSize(), parsed.header().imageSize(),
                    parsed.header().loadAddress(), parsed.header().flags());
            for (String area : new String[]{"protected", "unprotected"}) {
                for (Tlv tlv : area.equals("protected") ? parsed.protectedTlvs() : parsed.unprotectedTlvs()) {
                    out.printf("  %-11s %-10s %3d bytes  %s%n", area, tlv.typeName(), tlv.value().length,
                            HexFormat.of().formatHex(tlv.value()));
                }
            }
            out.flush();
        }

        private static void tlvs(com.fasterxml.jackson.databind.node.ArrayNode array, List<Tlv> tlvs) {
            for (Tlv tlv : tlvs) {
                array.addObject().put("type", tlv.typeName()).put("length", tlv.value().length)
                        .put("value", HexFormat.of().formatHex(tlv.value()));
            }
        }
    }

    /** Reads and parses an image file, failing with one sentence. */
    private static FirmwareImage parse(Path image) {
        try {
            return FirmwareImage.parse(read(image));
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        } catch (ImageFormatException e) {
            throw new CliFailure("invalid image: " + e.getMessage());
        }
    }

    private static byte[] read(Path image) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new IOException("no image file at " + image);
        }
        if (Files.size(image) > FirmwareImage.MAX_IMAGE_BYTES) {
            throw new IOException(image + " is larger than " + FirmwareImage.MAX_IMAGE_BYTES + " bytes");
        }
        return Files.readAllBytes(image);
    }
}
