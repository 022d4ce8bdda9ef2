package io.palisade.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

/** ECDSA P-256 keys, Palisade's default for devices, CAs and servers (R12: ECC by default). */
public final class KeyPairs {

    private static final int P256_FIELD_BITS = 256;

    private KeyPairs() {
    }

    public static KeyPair newP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    /**
     * True when {@code key} is an EC key on NIST P-256. Checked by curve order and field size plus the
     * encoded OID, because providers name the curve differently (secp256r1, prime256v1, P-256).
     */
    public static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        return ec.getParams().getCurve().getField().getFieldSize() == P256_FIELD_BITS
                && ec.getParams().getOrder().equals(P256_ORDER);
    }

    private static final java.math.BigInteger P256_ORDER = new java.math.BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
}
