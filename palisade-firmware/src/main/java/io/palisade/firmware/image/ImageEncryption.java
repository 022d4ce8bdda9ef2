package io.palisade.firmware.image;

import io.palisade.firmware.FirmwareCrypto;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * MCUboot's image encryption, ECIES-P256 with AES-128 (what {@code imgtool sign --encrypt} writes and
 * bootutil reads): the payload is AES-128-CTR encrypted (counter block starting at zero) under a random
 * image key; TLV {@code 0x32} carries an ephemeral P-256 public key (65 bytes, uncompressed), an
 * HMAC-SHA256 (32) and the image key wrapped with AES-128-CTR (16). The wrapping and MAC keys come from
 * HKDF-SHA256 over the ECDH secret with the info {@code MCUBoot_ECIES_v1}. Hash and signature cover the
 * plaintext, so a device decrypts first and then verifies as usual.
 */
public final class ImageEncryption {

    /** Header flag IMAGE_F_ENCRYPTED_AES128. */
    public static final long FLAG_ENCRYPTED_AES128 = 0x04;
    /** Header flag IMAGE_F_ENCRYPTED_AES256 (not supported here). */
    public static final long FLAG_ENCRYPTED_AES256 = 0x08;
    private static final byte[] INFO = "MCUBoot_ECIES_v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int POINT = 65;
    private static final int MAC = 32;
    private static final int KEY = 16;
    /** DER prefix of a P-256 SubjectPublicKeyInfo, before the 65-byte uncompressed point. */
    private static final byte[] P256_SPKI_PREFIX = HexFormat.of().parseHex(
            "3059301306072a8648ce3d020106082a8648ce3d030107034200");

    private ImageEncryption() {
    }

    public static boolean isEncrypted(ImageHeader header) {
        return (header.flags() & (FLAG_ENCRYPTED_AES128 | FLAG_ENCRYPTED_AES256)) != 0;
    }

    /** The value of the ENC_EC256 TLV wrapping {@code imageKey} for the holder of {@code recipient}. */
    static byte[] wrapKey(byte[] imageKey, PublicKey recipient) throws GeneralSecurityException {
        if (!(recipient instanceof ECPublicKey)) {
            throw new GeneralSecurityException("the encryption key must be an ECDSA P-256 public key");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FirmwareCrypto.BC);
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair ephemeral = generator.generateKeyPair();
        byte[][] keys = derive(ephemeral.getPrivate(), recipient);
        byte[] wrapped = ctr(keys[0], imageKey);
        byte[] point = Arrays.copyOfRange(ephemeral.getPublic().getEncoded(), P256_SPKI_PREFIX.length,
                P256_SPKI_PREFIX.length + POINT);
        byte[] value = new byte[POINT + MAC + KEY];
        System.arraycopy(point, 0, value, 0, POINT);
        System.arraycopy(hmac(keys[1], wrapped), 0, value, POINT, MAC);
        System.arraycopy(wrapped, 0, value, POINT + MAC, KEY);
        return value;
    }

    /** AES-128-CTR with a zero initial counter block, as MCUboot uses for payloads and wrapped keys. */
    static byte[] ctr(byte[] key, byte[] data) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding", FirmwareCrypto.BC);
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cipher.doFinal(data);
    }

    /**
     * Decrypts an encrypted image with the device's encryption key: returns the image with its payload in
     * plaintext (header, flags and TLVs unchanged), ready for {@link ImageVerifier#verify}.
     */
    public static byte[] decrypt(FirmwareImage image, PrivateKey deviceKey) throws ImageFormatException {
        if ((image.header().flags() & FLAG_ENCRYPTED_AES256) != 0) {
            throw new ImageFormatException("AES-256 encrypted images are not supported (only AES-128)");
        }
        if (!isEncrypted(image.header())) {
            throw new ImageFormatException("the image is not encrypted");
        }
        byte[] value = image.unprotected(Tlv.ENC_EC256).orElseThrow(() -> new ImageFormatException(
                "the image is encrypted but has no ECIES-P256 key TLV (0x32)")).value();
        if (value.length != POINT + MAC + KEY) {
            throw new ImageFormatException("the ECIES-P256 key TLV is " + value.length + " bytes, not " + (POINT + MAC + KEY));
        }
        try {
            PublicKey ephemeral = KeyFactory.getInstance("EC", FirmwareCrypto.BC).generatePublic(new X509EncodedKeySpec(
                    concat(P256_SPKI_PREFIX, Arrays.copyOf(value, POINT))));
            byte[][] keys = derive(deviceKey, ephemeral);
            byte[] wrapped = Arrays.copyOfRange(value, POINT + MAC, POINT + MAC + KEY);
            if (!MessageDigest.isEqual(hmac(keys[1], wrapped), Arrays.copyOfRange(value, POINT, POINT + MAC))) {
                throw new ImageFormatException("the image key does not authenticate: encrypted for another device's"
                        + " key, or the key TLV was tampered with");
            }
            byte[] imageKey = ctr(keys[0], wrapped);
            byte[] bytes = image.bytes().clone();
            int start = image.header().headerSize();
            int length = (int) image.header().imageSize();
            byte[] plain = ctr(imageKey, Arrays.copyOfRange(bytes, start, start + length));
            System.arraycopy(plain, 0, bytes, start, length);
            return bytes;
        } catch (GeneralSecurityException e) {
            throw new ImageFormatException("cannot decrypt the image: " + e.getMessage(), e);
        }
    }

    /** HKDF-SHA256(ECDH secret, no salt, "MCUBoot_ECIES_v1") → [AES-128 wrap key, HMAC-SHA256 key]. */
    private static byte[][] derive(PrivateKey own, PublicKey peer) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH", FirmwareCrypto.BC);
        agreement.init(own);
        agreement.doPhase(peer, true);
        byte[] shared = agreement.generateSecret();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, null, INFO));
        byte[] okm = new byte[KEY + MAC];
        hkdf.generateBytes(okm, 0, okm.length);
        Arrays.fill(shared, (byte) 0);
        return new byte[][]{Arrays.copyOf(okm, KEY), Arrays.copyOfRange(okm, KEY, KEY + MAC)};
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
