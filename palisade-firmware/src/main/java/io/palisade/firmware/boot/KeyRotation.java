package io.palisade.firmware.boot;

import io.palisade.firmware.FirmwareCrypto;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVerifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A statement by a trusted firmware key that admits a new one, so a device's boot verifier can move
 * to a new signing key without a new bootloader: the pinned root key signs "trust this key from now
 * on" (and optionally "and stop trusting me"). Statements carry a sequence number; a device applies
 * each number once and in increasing order, so an old statement cannot be replayed to bring back a
 * retired key.
 *
 * <p>Binary layout, little-endian like MCUboot's structures:
 * <pre>
 *   "PKRT" | version u8 (1) | flags u8 (bit 0: retire the signer) | sequence u32 |
 *   new key length u16 | new key (DER SubjectPublicKeyInfo) | signer key hash (32, SHA-256 of its DER) |
 *   signature length u16 | signature over SHA-256 of everything before the signature length
 * </pre>
 */
public record KeyRotation(PublicKey newKey, long sequence, boolean retireSigner, byte[] signerKeyHash,
                          byte[] signature, byte[] digest) {

    private static final byte[] MAGIC = {'P', 'K', 'R', 'T'};
    private static final int VERSION = 1;
    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_SIGNATURE_BYTES = 256;
    public static final int MAX_BYTES = 4 + 2 + 4 + 2 + MAX_KEY_BYTES + 32 + 2 + MAX_SIGNATURE_BYTES;

    /** Signs a statement admitting {@code newKey}. */
    public static byte[] create(ImageSigner.SigningKey signer, PublicKey newKey, long sequence, boolean retireSigner)
            throws GeneralSecurityException {
        if (sequence < 1 || sequence > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("the sequence number must be between 1 and 4294967295");
        }
        byte[] key = newKey.getEncoded();
        ByteBuffer body = ByteBuffer.allocate(4 + 2 + 4 + 2 + key.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        body.put(MAGIC).put((byte) VERSION).put((byte) (retireSigner ? 1 : 0)).putInt((int) sequence)
                .putShort((short) key.length).put(key).put(ImageVerifier.keyHash(signer.publicKey()));
        byte[] signed = body.array();
        byte[] signature = signer.sign(signed, FirmwareCrypto.sha256(signed));
        return ByteBuffer.allocate(signed.length + 2 + signature.length).order(ByteOrder.LITTLE_ENDIAN).put(signed)
                .putShort((short) signature.length).put(signature).array();
    }

    /** Parses a statement; the signature is checked by {@link Bootloader#admitKey}, which knows the trusted keys. */
    public static KeyRotation parse(byte[] bytes) throws ImageFormatException {
        if (bytes.length > MAX_BYTES) {
            throw new ImageFormatException("key rotation statement of " + bytes.length + " bytes (at most " + MAX_BYTES + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ImageFormatException("not a key rotation statement (wrong magic)");
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new ImageFormatException("unsupported key rotation statement version " + version);
            }
            int flags = in.get() & 0xFF;
            if ((flags & ~1) != 0) {
                throw new ImageFormatException("unknown key rotation flags 0x" + Integer.toHexString(flags));
            }
            long sequence = Integer.toUnsignedLong(in.getInt());
            int keyLength = Short.toUnsignedInt(in.getShort());
            if (keyLength == 0 || keyLength > MAX_KEY_BYTES) {
                throw new ImageFormatException("key rotation statement's key length " + keyLength + " is out of range");
            }
            byte[] key = new byte[keyLength];
            in.get(key);
            byte[] signerHash = new byte[32];
            in.get(signerHash);
            int signedLength = in.position();
            int signatureLength = Short.toUnsignedInt(in.getShort());
            if (signatureLength == 0 || signatureLength > MAX_SIGNATURE_BYTES || signatureLength != in.remaining()) {
                throw new ImageFormatException("key rotation statement's signature length " + signatureLength
                        + " does not match the " + in.remaining() + " bytes that follow");
            }
            byte[] signature = new byte[signatureLength];
            in.get(signature);
            return new KeyRotation(publicKey(key), sequence, (flags & 1) != 0, signerHash, signature,
                    FirmwareCrypto.sha256(bytes, signedLength));
        } catch (java.nio.BufferUnderflowException e) {
            throw new ImageFormatException("key rotation statement is truncated");
        }
    }

    private static PublicKey publicKey(byte[] der) throws ImageFormatException {
        for (String algorithm : new String[]{"EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm, FirmwareCrypto.BC).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ImageFormatException("the admitted key is neither an EC nor an Ed25519 public key");
    }
}
