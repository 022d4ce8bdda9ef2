package io.palisade.radio.ieee802154;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * CCM* (IEEE 802.15.4 Annex B, ZigBee Annex A) with AES-128 and a 13-byte nonce: CCM (RFC 3610) with L = 2, extended
 * to a MIC of length 0. With a MIC, Bouncy Castle's CCM does the work; MIC-only levels authenticate the payload as
 * additional data. Without a MIC CCM* is AES-CTR over CCM's counter blocks A1, A2, ... (Bouncy Castle refuses a
 * zero-length tag), and proves nothing.
 */
public final class CcmStar {

    public static final int NONCE_BYTES = 13;

    private CcmStar() {
    }

    /**
     * Verifies and (for encrypting levels) decrypts. {@code header} is authenticated as is; {@code body} is the
     * payload followed by the MIC. Answers the plaintext payload.
     *
     * @throws MicMismatch when the MIC does not match: wrong key, wrong nonce, or a frame altered on the way
     */
    public static byte[] open(byte[] key, byte[] nonce, SecurityLevel level, byte[] header, byte[] body)
            throws MicMismatch {
        int mic = level.micLength();
        if (body.length < mic) {
            throw new MicMismatch("body shorter than its MIC");
        }
        if (mic == 0) {
            return level.encrypted() ? counterMode(key, nonce, body) : body.clone();
        }
        CCMBlockCipher ccm = ccm(false, key, nonce, mic, level.encrypted() ? header
                : concat(header, Arrays.copyOf(body, body.length - mic)));
        byte[] input = level.encrypted() ? body : Arrays.copyOfRange(body, body.length - mic, body.length);
        try {
            byte[] plain = ccm.processPacket(input, 0, input.length);
            return level.encrypted() ? plain : Arrays.copyOf(body, body.length - mic);
        } catch (InvalidCipherTextException e) {
            throw new MicMismatch("MIC does not match");
        }
    }

    /** The other direction: payload (encrypted for encrypting levels) followed by the MIC. */
    public static byte[] seal(byte[] key, byte[] nonce, SecurityLevel level, byte[] header, byte[] payload) {
        int mic = level.micLength();
        if (mic == 0) {
            return level.encrypted() ? counterMode(key, nonce, payload) : payload.clone();
        }
        CCMBlockCipher ccm = ccm(true, key, nonce, mic, level.encrypted() ? header : concat(header, payload));
        byte[] input = level.encrypted() ? payload : new byte[0];
        try {
            byte[] out = ccm.processPacket(input, 0, input.length);
            return level.encrypted() ? out : concat(payload, out);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("CCM encryption cannot fail", e);
        }
    }

    private static CCMBlockCipher ccm(boolean encrypt, byte[] key, byte[] nonce, int mic, byte[] associated) {
        requireNonce(nonce);
        CCMBlockCipher ccm = (CCMBlockCipher) CCMBlockCipher.newInstance(AESEngine.newInstance());
        ccm.init(encrypt, new AEADParameters(new KeyParameter(key), mic * 8, nonce, associated));
        return ccm;
    }

    /** AES-CTR from counter block A1 = flags (L - 1 = 1) || nonce || 0x0001, as CCM encrypts its payload. */
    private static byte[] counterMode(byte[] key, byte[] nonce, byte[] input) {
        requireNonce(nonce);
        byte[] first = new byte[16];
        first[0] = 0x01;
        System.arraycopy(nonce, 0, first, 1, NONCE_BYTES);
        first[15] = 0x01;
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(first));
            return ctr.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is part of every Java runtime", e);
        }
    }

    private static void requireNonce(byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("CCM* nonce must be " + NONCE_BYTES + " bytes, not " + nonce.length);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The MIC did not verify. */
    public static final class MicMismatch extends Exception {
        public MicMismatch(String message) {
            super(message);
        }
    }
}
