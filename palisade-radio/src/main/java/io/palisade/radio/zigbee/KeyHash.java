package io.palisade.radio.zigbee;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * ZigBee's keyed hash (specification B.1.4 and B.6): HMAC over the Matyas-Meyer-Oseas hash built from AES-128, with
 * which a link key yields the key-transport key (input byte 0x00) and the key-load key (0x02) that protect APS
 * transport-key and key-load commands.
 */
public final class KeyHash {

    private static final int BLOCK = 16;

    private KeyHash() {
    }

    public static byte[] keyTransportKey(byte[] linkKey) {
        return hmac(linkKey, 0x00);
    }

    public static byte[] keyLoadKey(byte[] linkKey) {
        return hmac(linkKey, 0x02);
    }

    static byte[] hmac(byte[] key, int input) {
        byte[] inner = new byte[BLOCK + 1];
        for (int i = 0; i < BLOCK; i++) {
            inner[i] = (byte) (key[i] ^ 0x36);
        }
        inner[BLOCK] = (byte) input;
        byte[] outer = new byte[2 * BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            outer[i] = (byte) (key[i] ^ 0x5c);
        }
        System.arraycopy(mmo(inner), 0, outer, BLOCK, BLOCK);
        return mmo(outer);
    }

    /** Matyas-Meyer-Oseas: H0 = 0, Hi = E(Hi-1, Mi) xor Mi over M || 1 || 0* || 16-bit length in bits. */
    static byte[] mmo(byte[] message) {
        int padded = ((message.length + 1 + 2 + BLOCK - 1) / BLOCK) * BLOCK;
        byte[] m = Arrays.copyOf(message, padded);
        m[message.length] = (byte) 0x80;
        int bits = message.length * 8;
        m[padded - 2] = (byte) (bits >> 8);
        m[padded - 1] = (byte) bits;
        byte[] hash = new byte[BLOCK];
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            for (int offset = 0; offset < padded; offset += BLOCK) {
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hash, "AES"));
                byte[] encrypted = aes.doFinal(m, offset, BLOCK);
                for (int i = 0; i < BLOCK; i++) {
                    hash[i] = (byte) (encrypted[i] ^ m[offset + i]);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every Java runtime", e);
        }
        return hash;
    }
}
