package io.palisade.pki;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * SHA256withECDSA for any EC key: the JDK's provider for its own keys, Bouncy Castle's for keys Bouncy
 * Castle's provider made (firmware and file-integrity keys, which the JDK refuses as "not an EC key"). The JDK
 * comes first so that paths with JDK keys (the CA, the command key) never build Bouncy Castle's provider.
 */
public final class EcdsaSignatures {

    private static final String ALGORITHM = "SHA256withECDSA";

    private EcdsaSignatures() {
    }

    /** A signature initialised for signing with {@code key}. */
    public static Signature signer(PrivateKey key) throws GeneralSecurityException {
        return initialised(signature -> signature.initSign(key));
    }

    /** A signature initialised for verifying with {@code key}. */
    public static Signature verifier(PublicKey key) throws GeneralSecurityException {
        return initialised(signature -> signature.initVerify(key));
    }

    private interface Initialisation {
        void apply(Signature signature) throws InvalidKeyException;
    }

    private static Signature initialised(Initialisation initialisation) throws GeneralSecurityException {
        Signature jdk = Signature.getInstance(ALGORITHM);
        try {
            initialisation.apply(jdk);
            return jdk;
        } catch (InvalidKeyException notForTheJdk) {
            Signature bouncyCastle = Signature.getInstance(ALGORITHM, Bc.PROVIDER);
            initialisation.apply(bouncyCastle);
            return bouncyCastle;
        }
    }
}
