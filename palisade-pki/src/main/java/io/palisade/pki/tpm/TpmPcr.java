package io.palisade.pki.tpm;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Measured boot in the TPM's SHA-256 bank: {@link #extend} folds a measurement into a PCR (PCR = SHA-256(PCR ||
 * measurement)), which only a TPM reset undoes; {@link #expected} computes, from the measurements a boot should
 * make, the value the PCR must then hold.
 */
public final class TpmPcr {

    private TpmPcr() {
    }

    public static void extend(Tpm2Tools tpm, int pcr, byte[] sha256) throws IOException {
        check(pcr, sha256);
        tpm.exclusive((scratch, tools) -> tools.command(scratch, "tpm2_pcrextend",
                pcr + ":sha256=" + HexFormat.of().formatHex(sha256)));
    }

    /**
     * How many times the TPM was reset (powered up with its PCRs cleared): a boot-time measurement made once per
     * value of this count leaves a PCR that says what was started at power-on.
     */
    public static long resetCount(Tpm2Tools tpm) throws IOException {
        String clock = tpm.exclusive((scratch, tools) -> tools.command(scratch, "tpm2_readclock"));
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("reset_count:\\s*(\\d+)").matcher(clock);
        if (!count.find()) {
            throw new IOException("tpm2_readclock printed no reset count");
        }
        return Long.parseLong(count.group(1));
    }

    /** The PCR after a reset (all zeros) and the extends of {@code measurements}, in order. */
    public static byte[] expected(List<byte[]> measurements) {
        byte[] value = new byte[32];
        for (byte[] measurement : measurements) {
            check(0, measurement);
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(value);
                value = sha256.digest(measurement);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
        return value;
    }

    private static void check(int pcr, byte[] sha256) {
        if (pcr < 0 || pcr > 23) {
            throw new IllegalArgumentException("a PCR is 0 to 23, not " + pcr);
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 measurement has 32 bytes, not " + sha256.length);
        }
    }
}
