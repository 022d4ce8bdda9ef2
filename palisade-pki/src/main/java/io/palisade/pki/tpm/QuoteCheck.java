package io.palisade.pki.tpm;

import io.palisade.pki.EcdsaSignatures;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides whether a quote proves that the device's TPM holds the expected PCR values now: the attestation key
 * signed it (a restricted key: it signs only what the TPM itself generated), it answers this challenge's nonce,
 * the PCR values the device reports are the ones the TPM hashed into the quote, and they are the expected ones.
 * Each refusal names its reason; an operator reading "PCR 9 is 90f4…, expected 3c1a…" knows which image runs.
 */
public final class QuoteCheck {

    private QuoteCheck() {
    }

    /** Why a quote was refused. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /**
     * @param reported the PCR values the device sent with the quote, by index
     * @param expected the values the device's profile accepts, by index (any one of a PCR's values)
     */
    public static TpmQuote check(byte[] quote, byte[] signature, PublicKey attestationKey, byte[] nonce,
                                 Map<Integer, byte[]> reported, Map<Integer, java.util.List<byte[]>> expected)
            throws Refused {
        try {
            Signature verifier = EcdsaSignatures.verifier(attestationKey);
            verifier.update(quote);
            if (signature.length == 0 || !verifier.verify(signature)) {
                throw new Refused("the quote's signature does not verify with the device's attestation key");
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("the quote's signature does not verify: " + e.getMessage());
        }
        TpmQuote parsed;
        try {
            parsed = TpmQuote.parse(quote);
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed quote: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(parsed.extraData(), nonce)) {
            throw new Refused("the quote answers another challenge (a replayed quote?)");
        }
        if (!parsed.pcrs().containsAll(expected.keySet())) {
            throw new Refused("the quote covers PCRs " + parsed.pcrs() + ", not " + expected.keySet());
        }
        SortedMap<Integer, byte[]> quoted = new TreeMap<>();
        for (int pcr : parsed.pcrs()) {
            byte[] value = reported.get(pcr);
            if (value == null || value.length != 32) {
                throw new Refused("the device sent no SHA-256 value for quoted PCR " + pcr);
            }
            quoted.put(pcr, value);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            quoted.values().forEach(sha256::update);
            if (!MessageDigest.isEqual(sha256.digest(), parsed.pcrDigest())) {
                throw new Refused("the PCR values sent are not the ones the TPM quoted");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        HexFormat hex = HexFormat.of();
        for (Map.Entry<Integer, java.util.List<byte[]>> want : expected.entrySet()) {
            byte[] have = quoted.get(want.getKey());
            if (want.getValue().stream().noneMatch(value -> MessageDigest.isEqual(have, value))) {
                throw new Refused("PCR " + want.getKey() + " is " + hex.formatHex(have) + ", expected "
                        + (want.getValue().size() == 1 ? "" : "one of ")
                        + String.join(", ", want.getValue().stream().map(hex::formatHex).toList()));
            }
        }
        return parsed;
    }
}
