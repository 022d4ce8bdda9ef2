package io.palisade.pki.tpm;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A TPM 2.0 quote as the TPM signs it ({@code TPMS_ATTEST} of type {@code TPM_ST_ATTEST_QUOTE}, TPM 2.0 Library
 * Part 2 §10.12): the signer's name, the caller's qualifying data (the verifier's nonce), the clock, and the PCRs
 * quoted with the digest of their values. Only the SHA-256 bank is accepted. Everything is length-checked;
 * anything else is refused with the reason.
 */
public record TpmQuote(byte[] signerName, byte[] extraData, long clock, SortedSet<Integer> pcrs, byte[] pcrDigest) {

    private static final int GENERATED = 0xff544347; // "\xffTCG": only the TPM writes structures starting so
    private static final int ST_ATTEST_QUOTE = 0x8018;
    private static final int ALG_SHA256 = 0x000b;
    public static final int MAX_BYTES = 1024;

    public static TpmQuote parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a quote of " + bytes.length + " bytes (at most " + MAX_BYTES + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.getInt() != GENERATED) {
                throw new IllegalArgumentException("not made by a TPM (no TPM_GENERATED magic)");
            }
            int type = Short.toUnsignedInt(in.getShort());
            if (type != ST_ATTEST_QUOTE) {
                throw new IllegalArgumentException("an attestation of type 0x" + Integer.toHexString(type) + ", not a quote");
            }
            byte[] signer = sized(in, 68, "signer name");
            byte[] extra = sized(in, 64, "qualifying data");
            long clock = in.getLong();
            in.getInt(); // reset count (obfuscated for keys outside the endorsement hierarchy)
            in.getInt(); // restart count (likewise)
            in.get(); // safe
            in.getLong(); // firmware version
            int banks = in.getInt();
            if (banks != 1) {
                throw new IllegalArgumentException("a quote over " + banks + " PCR banks (only SHA-256 is accepted)");
            }
            int hash = Short.toUnsignedInt(in.getShort());
            if (hash != ALG_SHA256) {
                throw new IllegalArgumentException("a quote of the PCR bank 0x" + Integer.toHexString(hash) + ", not SHA-256");
            }
            int selectSize = Byte.toUnsignedInt(in.get());
            if (selectSize < 3 || selectSize > 4) {
                throw new IllegalArgumentException("a PCR selection of " + selectSize + " bytes");
            }
            SortedSet<Integer> pcrs = new TreeSet<>();
            for (int i = 0; i < selectSize; i++) {
                int bits = Byte.toUnsignedInt(in.get());
                for (int bit = 0; bit < 8; bit++) {
                    if ((bits & (1 << bit)) != 0) {
                        pcrs.add(i * 8 + bit);
                    }
                }
            }
            byte[] digest = sized(in, 64, "PCR digest");
            if (digest.length != 32) {
                throw new IllegalArgumentException("a SHA-256 PCR digest of " + digest.length + " bytes");
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the quote");
            }
            return new TpmQuote(signer, extra, clock, Collections.unmodifiableSortedSet(pcrs), digest);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a quote cut short at byte " + in.position());
        }
    }

    private static byte[] sized(ByteBuffer in, int max, String what) {
        int size = Short.toUnsignedInt(in.getShort());
        if (size > max) {
            throw new IllegalArgumentException("a " + what + " of " + size + " bytes (at most " + max + ")");
        }
        byte[] value = new byte[size];
        in.get(value);
        return value;
    }

    public byte[] extraData() {
        return extraData.clone();
    }

    public byte[] pcrDigest() {
        return pcrDigest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TpmQuote q && Arrays.equals(signerName, q.signerName)
                && Arrays.equals(extraData, q.extraData) && clock == q.clock && pcrs.equals(q.pcrs)
                && Arrays.equals(pcrDigest, q.pcrDigest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pcrDigest);
    }
}
