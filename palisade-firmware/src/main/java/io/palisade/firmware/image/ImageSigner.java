package io.palisade.firmware.image;

import io.palisade.firmware.FirmwareCrypto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Builds signed MCUboot images the way {@code imgtool sign} does, so that MCUboot boots them: header,
 * payload, protected TLVs (security counter), then SHA-256, key hash and signature TLVs.
 *
 * <p>The private key sits behind {@link SigningKey} so that a PKCS#11 token can sign later.
 */
public final class ImageSigner {

    private ImageSigner() {
    }

    /** Something that signs image digests; the software implementation holds a key in memory. */
    public interface SigningKey {

        PublicKey publicKey();

        /** Signs: ECDSA over the covered bytes (SHA-256), Ed25519 over the 32-byte digest. */
        byte[] sign(byte[] covered, byte[] digest) throws GeneralSecurityException;

        int signatureTlv();
    }

    /** A key held in memory (ECDSA P-256 or Ed25519). */
    public static SigningKey softwareKey(PrivateKey privateKey, PublicKey publicKey) {
        boolean ed25519 = ImageVerifier.isEd25519(publicKey);
        return new SigningKey() {
            @Override
            public PublicKey publicKey() {
                return publicKey;
            }

            @Override
            public byte[] sign(byte[] covered, byte[] digest) throws GeneralSecurityException {
                // ECDSA over the SHA-256 digest ("NONE": the digest is already computed) equals SHA256withECDSA
                // over the covered bytes; Ed25519 signs the digest as imgtool does.
                Signature signer = Signature.getInstance(ed25519 ? "Ed25519" : "NONEwithECDSA", FirmwareCrypto.BC);
                signer.initSign(privateKey);
                signer.update(digest);
                return signer.sign();
            }

            @Override
            public int signatureTlv() {
                return ed25519 ? Tlv.ED25519 : Tlv.ECDSA_SIG;
            }
        };
    }

    /**
     * Signs {@code payload}.
     *
     * @param securityCounter the counter for the protected TLV area, or empty for none
     * @param headerSize      bytes reserved for the header before the payload (at least 32; e.g. 0x200)
     */
    public static byte[] sign(byte[] payload, SigningKey key, ImageVersion version,
                              java.util.OptionalLong securityCounter, int headerSize, long loadAddress)
            throws GeneralSecurityException {
        return sign(payload, key, version, securityCounter, headerSize, loadAddress, java.util.Optional.empty());
    }

    /**
     * Signs {@code payload} and, with {@code encryptFor}, encrypts it for the holder of that P-256 key as
     * {@code imgtool sign --encrypt} does (see {@link ImageEncryption}): the header carries the
     * ENCRYPTED_AES128 flag, hash and signature cover the plaintext.
     */
    public static byte[] sign(byte[] payload, SigningKey key, ImageVersion version,
                              java.util.OptionalLong securityCounter, int headerSize, long loadAddress,
                              java.util.Optional<java.security.PublicKey> encryptFor)
            throws GeneralSecurityException {
        if (headerSize < ImageHeader.SIZE || headerSize > 0xffff) {
            throw new IllegalArgumentException("header size must be between 32 and 65535 bytes, got " + headerSize);
        }
        byte[] protectedArea = securityCounter.isPresent() ? area(Tlv.PROTECTED_MAGIC,
                tlv(Tlv.SEC_CNT, littleEndianInt(securityCounter.getAsLong()))) : new byte[0];
        ImageHeader header = new ImageHeader(loadAddress, headerSize, protectedArea.length, payload.length,
                encryptFor.isPresent() ? ImageEncryption.FLAG_ENCRYPTED_AES128 : 0, version);
        ByteArrayOutputStream covered = new ByteArrayOutputStream(headerSize + payload.length + protectedArea.length);
        covered.writeBytes(header.encode());
        covered.writeBytes(payload);
        covered.writeBytes(protectedArea);
        byte[] coveredBytes = covered.toByteArray();
        byte[] digest = FirmwareCrypto.sha256(coveredBytes);
        byte[] signature = key.sign(coveredBytes, digest);
        byte[][] tlvs = {tlv(Tlv.SHA256, digest), tlv(Tlv.KEY_HASH, ImageVerifier.keyHash(key.publicKey())),
                tlv(key.signatureTlv(), signature)};
        if (encryptFor.isPresent()) {
            byte[] imageKey = new byte[16];
            new java.security.SecureRandom().nextBytes(imageKey);
            tlvs = java.util.Arrays.copyOf(tlvs, 4);
            tlvs[3] = tlv(Tlv.ENC_EC256, ImageEncryption.wrapKey(imageKey, encryptFor.get()));
            byte[] cipher = ImageEncryption.ctr(imageKey, payload);
            System.arraycopy(cipher, 0, coveredBytes, headerSize, payload.length);
            java.util.Arrays.fill(imageKey, (byte) 0);
        }
        byte[] unprotected = area(Tlv.UNPROTECTED_MAGIC, tlvs);
        ByteArrayOutputStream image = new ByteArrayOutputStream(coveredBytes.length + unprotected.length);
        image.writeBytes(coveredBytes);
        image.writeBytes(unprotected);
        return image.toByteArray();
    }

    private static byte[] tlv(int type, byte[] value) {
        ByteBuffer out = ByteBuffer.allocate(4 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) type).putShort((short) value.length).put(value);
        return out.array();
    }

    private static byte[] area(int magic, byte[]... tlvs) {
        int total = 4;
        for (byte[] t : tlvs) {
            total += t.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) magic).putShort((short) total);
        for (byte[] t : tlvs) {
            out.put(t);
        }
        return out.array();
    }

    private static byte[] littleEndianInt(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("security counter must fit 32 bits, got " + value);
        }
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
    }
}
