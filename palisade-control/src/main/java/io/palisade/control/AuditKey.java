package io.palisade.control;

import io.palisade.core.audit.ChainSigner;
import io.palisade.core.secret.SecretBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * The key that signs the audit chain's checkpoints and gap records (ECDSA P-256 with SHA-256): under
 * {@code DATA/audit/} as {@code audit.key} (0600, encrypted) and {@code audit.pem}. It lives beside the CA's
 * keys, not in the database, so write access to the store alone cannot forge a checkpoint.
 */
public final class AuditKey implements ChainSigner {

    private final KeyPair pair;

    private AuditKey(KeyPair pair) {
        this.pair = pair;
    }

    public static AuditKey loadOrCreate(Path dataDir, SecretBytes passphrase) throws IOException {
        return new AuditKey(SigningKeyFiles.loadOrCreate(dataDir.resolve("audit"), "audit", passphrase));
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(pair.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the audit key", e);
        }
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(pair.getPublic());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is not a valid one
        }
    }
}
