package io.palisade.pki;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Decrypts PBES2 (RFC 8018: PBKDF2 with HMAC-SHA1/256/512, then AES-CBC) private keys, what Palisade and
 * {@code openssl pkcs8} write, without Bouncy Castle's JCA provider: building that provider took half a
 * second of {@code palisade up}'s start, and the JDK's own PBKDF2 runs its 210,000 HMACs in a JVM that has not
 * compiled them yet (0.68 s per key at start against 0.23 s with Bouncy Castle's lightweight digest).
 */
final class Pbes2Decryption {

    /** A damaged or hostile file must not keep the process busy for hours. */
    static final int MAX_ITERATIONS = 10_000_000;

    private Pbes2Decryption() {
    }

    /**
     * The decrypted key, or empty when the file uses a scheme this class does not handle (the caller then
     * falls back to Bouncy Castle's provider). A wrong passphrase fails AES's padding check, or rarely yields
     * bytes that are no key: both are thrown.
     */
    static Optional<PrivateKeyInfo> decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password)
            throws GeneralSecurityException {
        AlgorithmIdentifier algorithm = encrypted.getEncryptionAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            return Optional.empty();
        }
        PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
        KeyDerivationFunc kdf = parameters.getKeyDerivationFunc();
        EncryptionScheme scheme = parameters.getEncryptionScheme();
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
            return Optional.empty();
        }
        PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(kdf.getParameters());
        Optional<Digest> prf = prf(pbkdf2.getPrf().getAlgorithm());
        int keyBytes = aesKeyBytes(scheme.getAlgorithm());
        if (prf.isEmpty() || keyBytes == 0) {
            return Optional.empty();
        }
        java.math.BigInteger count = pbkdf2.getIterationCount();
        if (count.signum() < 1 || count.compareTo(java.math.BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new GeneralSecurityException("PBKDF2 iteration count " + count + " is outside 1.." + MAX_ITERATIONS);
        }
        int iterations = count.intValue();
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(prf.get());
        byte[] passwordBytes = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        byte[] key = null;
        try {
            generator.init(passwordBytes, pbkdf2.getSalt(), iterations);
            key = ((KeyParameter) generator.generateDerivedParameters(keyBytes * 8)).getKey();
            byte[] iv = ASN1OctetString.getInstance(scheme.getParameters()).getOctets();
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] plain = cipher.doFinal(encrypted.getEncryptedData());
            try {
                return Optional.of(PrivateKeyInfo.getInstance(plain));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("the decrypted bytes are not a private key", e);
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        } finally {
            java.util.Arrays.fill(passwordBytes, (byte) 0);
            if (key != null) {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static Optional<Digest> prf(ASN1ObjectIdentifier prf) {
        if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(prf)) {
            return Optional.of(new SHA256Digest());
        }
        if (PKCSObjectIdentifiers.id_hmacWithSHA512.equals(prf)) {
            return Optional.of(new SHA512Digest());
        }
        if (PKCSObjectIdentifiers.id_hmacWithSHA1.equals(prf)) {
            return Optional.of(new SHA1Digest());
        }
        return Optional.empty();
    }

    private static int aesKeyBytes(ASN1ObjectIdentifier cipher) {
        if (NISTObjectIdentifiers.id_aes256_CBC.equals(cipher)) {
            return 32;
        }
        if (NISTObjectIdentifiers.id_aes192_CBC.equals(cipher)) {
            return 24;
        }
        if (NISTObjectIdentifiers.id_aes128_CBC.equals(cipher)) {
            return 16;
        }
        return 0;
    }
}
