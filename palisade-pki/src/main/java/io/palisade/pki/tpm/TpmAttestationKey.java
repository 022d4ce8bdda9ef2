package io.palisade.pki.tpm;

import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The device's attestation key: a <em>restricted</em> P-256 signing key in the TPM, which signs only structures the
 * TPM generated itself (quotes), never a digest handed to it, so a quote it signed cannot have been made up by
 * software. Made next to the device key at enrollment and persisted at its own handle.
 */
public final class TpmAttestationKey {

    /** The handle after the device key's. */
    public static final int DEFAULT_HANDLE = 0x81010002;
    private static final String ATTRIBUTES = "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign";
    private static final Pattern PCR_LINE = Pattern.compile("^\\s+(\\d+)\\s*:\\s*0x([0-9A-Fa-f]{64})\\s*$",
            Pattern.MULTILINE);

    /** A quote as the device sends it: the signed structure, the signature (DER), and the PCR values quoted. */
    public record Quote(byte[] quote, byte[] signature, Map<Integer, byte[]> pcrs) {
    }

    private final Tpm2Tools tpm;
    private final int handle;
    private final PublicKey publicKey;

    private TpmAttestationKey(Tpm2Tools tpm, int handle, PublicKey publicKey) {
        this.tpm = tpm;
        this.handle = handle;
        this.publicKey = publicKey;
    }

    public static TpmAttestationKey create(Tpm2Tools tpm, int handle) throws IOException {
        TpmKeys.parseHandle(TpmKeys.hex(handle));
        return new TpmAttestationKey(tpm, handle, tpm.exclusive((scratch, tools) -> {
            tools.step(scratch, "tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc256", "-c", "primary.ctx");
            tools.step(scratch, "tpm2_create", "-C", "primary.ctx", "-G", "ecc256:ecdsa-sha256:null", "-a", ATTRIBUTES,
                    "-u", "ak.pub", "-r", "ak.priv");
            tools.step(scratch, "tpm2_load", "-C", "primary.ctx", "-u", "ak.pub", "-r", "ak.priv", "-c", "ak.ctx");
            tools.step(scratch, "tpm2_evictcontrol", "-C", "o", "-c", "ak.ctx", TpmKeys.hex(handle));
            tools.command(scratch, "tpm2_readpublic", "-c", TpmKeys.hex(handle), "-f", "pem", "-o", "ak.pem");
            return Pem.readPublicKey(scratch.resolve("ak.pem"));
        }));
    }

    public static TpmAttestationKey open(Tpm2Tools tpm, int handle) throws IOException {
        TpmKeys.parseHandle(TpmKeys.hex(handle));
        return new TpmAttestationKey(tpm, handle, tpm.exclusive((scratch, tools) -> {
            tools.command(scratch, "tpm2_readpublic", "-c", TpmKeys.hex(handle), "-f", "pem", "-o", "ak.pem");
            return Pem.readPublicKey(scratch.resolve("ak.pem"));
        }));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public int handle() {
        return handle;
    }

    /** Quotes the SHA-256 bank's {@code pcrs} over {@code nonce} (at most 64 bytes). */
    public Quote quote(byte[] nonce, List<Integer> pcrs) throws IOException {
        if (nonce.length == 0 || nonce.length > 64) {
            throw new IllegalArgumentException("a quote's nonce has 1 to 64 bytes, not " + nonce.length);
        }
        String selection = "sha256:" + pcrs.stream().map(pcr -> {
            if (pcr < 0 || pcr > 23) {
                throw new IllegalArgumentException("a PCR is 0 to 23, not " + pcr);
            }
            return Integer.toString(pcr);
        }).collect(Collectors.joining(","));
        return tpm.exclusive((scratch, tools) -> {
            String out = tools.command(scratch, "tpm2_quote", "-c", TpmKeys.hex(handle), "-l", selection, "-q",
                    HexFormat.of().formatHex(nonce), "-m", "quote.msg", "-s", "quote.sig", "-g", "sha256", "-f", "plain",
                    "-o", "pcrs.bin"); // with -o, tpm2_quote also prints the values it quoted
            Map<Integer, byte[]> values = new TreeMap<>();
            Matcher lines = PCR_LINE.matcher(out.substring(Math.max(0, out.indexOf("pcrs:"))));
            while (lines.find()) {
                values.put(Integer.parseInt(lines.group(1)), HexFormat.of().parseHex(lines.group(2).toLowerCase()));
            }
            return new Quote(Files.readAllBytes(scratch.resolve("quote.msg")),
                    Files.readAllBytes(scratch.resolve("quote.sig")), values);
        });
    }

    public void destroy() throws IOException {
        TpmKeys.destroy(tpm, handle);
    }
}
