package io.palisade.firmware.image;

import io.palisade.firmware.FirmwareCrypto;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;

/**
 * Decides whether an image may run, as MCUboot's bootutil does: the SHA-256 TLV matches header, payload
 * and protected TLVs; the key hash names a pinned key; the signature by that key verifies; and the
 * protected security counter is not lower than the one the device stores (anti-rollback).
 */
public final class ImageVerifier {

    private ImageVerifier() {
    }

    /** What a verified image is. */
    public record Verified(ImageVersion version, long securityCounter, byte[] digest, String signatureType) {

        public String digestHex() {
            return HexFormat.of().formatHex(digest);
        }
    }

    public static Verified verify(FirmwareImage image, List<PublicKey> trustedKeys, long minimumCounter)
            throws ImageFormatException {
        byte[] digest = FirmwareCrypto.sha256(image.bytes(), image.coveredLength());
        Tlv hash = image.unprotected(Tlv.SHA256)
                .orElseThrow(() -> new ImageFormatException("the image has no SHA-256 TLV"));
        if (!MessageDigest.isEqual(hash.value(), digest) && ImageEncryption.isEncrypted(image.header())) {
            // A decrypted image keeps its flag and key TLV, so only the hash tells ciphertext from plaintext.
            throw new ImageFormatException("the image is encrypted (or corrupted): decrypt it with the device's"
                    + " encryption key before verifying; hash and signature cover the plaintext");
        }
        if (!MessageDigest.isEqual(hash.value(), digest)) {
            throw new ImageFormatException("hash mismatch: the image's SHA-256 TLV does not match its contents"
                    + " (corrupted or tampered)");
        }
        Tlv keyHash = image.unprotected(Tlv.KEY_HASH)
                .orElseThrow(() -> new ImageFormatException("the image has no key hash TLV"));
        PublicKey key = trustedKeys.stream().filter(k -> MessageDigest.isEqual(keyHash(k), keyHash.value())).findFirst()
                .orElseThrow(() -> new ImageFormatException("signed by an unknown key (key hash "
                        + HexFormat.of().formatHex(keyHash.value()) + " matches no trusted key)"));
        String signatureType = verifySignature(image, key, digest);
        long counter = image.securityCounter();
        if (counter < minimumCounter) {
            throw new ImageFormatException("rollback refused: the image's security counter " + counter
                    + " is lower than the device's " + minimumCounter);
        }
        return new Verified(image.header().version(), counter, digest, signatureType);
    }

    private static String verifySignature(FirmwareImage image, PublicKey key, byte[] digest)
            throws ImageFormatException {
        boolean ed25519 = isEd25519(key);
        int type = ed25519 ? Tlv.ED25519 : Tlv.ECDSA_SIG;
        Tlv signature = image.unprotected(type).orElseThrow(() -> new ImageFormatException("the image has no "
                + (ed25519 ? "Ed25519" : "ECDSA") + " signature TLV for its key"));
        if (!verifiesDigest(key, digest, signature.value())) {
            throw new ImageFormatException("the signature does not verify with the trusted key");
        }
        return ed25519 ? "ED25519" : "ECDSA_P256";
    }

    /**
     * Checks a signature over a SHA-256 digest, as images (and key rotation statements) are signed:
     * Ed25519 signs the digest itself (as imgtool and bootutil do); ECDSA's "NONE" form takes the digest
     * in place of hashing the covered bytes again, which is what SHA256withECDSA would do.
     */
    public static boolean verifiesDigest(PublicKey key, byte[] digest, byte[] signature) throws ImageFormatException {
        try {
            Signature verifier = Signature.getInstance(isEd25519(key) ? "Ed25519" : "NONEwithECDSA", FirmwareCrypto.BC);
            verifier.initVerify(key);
            verifier.update(digest);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new ImageFormatException("the signature is malformed: " + e.getMessage(), e);
        }
    }

    static boolean isEd25519(PublicKey key) {
        return key.getAlgorithm().equalsIgnoreCase("Ed25519") || key.getAlgorithm().equalsIgnoreCase("EdDSA");
    }

    /** SHA-256 of the key's DER SubjectPublicKeyInfo, as imgtool writes it into the key hash TLV. */
    public static byte[] keyHash(PublicKey key) {
        return FirmwareCrypto.sha256(key.getEncoded());
    }

}
