package io.palisade.control;

import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;

/**
 * A P-256 signing key the control plane keeps under the data directory: {@code DIR/NAME.key} (0600, encrypted
 * with the data directory's key passphrase like the CA's keys) and {@code DIR/NAME.pem} (the public half).
 * Created on first use; a key an earlier version wrote unencrypted is encrypted at the next start.
 */
final class SigningKeyFiles {

    private SigningKeyFiles() {
    }

    static KeyPair loadOrCreate(Path dir, String name, SecretBytes passphrase) throws IOException {
        Path keyFile = dir.resolve(name + ".key");
        Path publicFile = dir.resolve(name + ".pem");
        if (Files.exists(keyFile)) {
            PrivateKey key;
            if (Pem.isEncryptedPrivateKey(keyFile)) {
                key = Pem.readEncryptedPrivateKey(keyFile, passphrase);
            } else {
                key = Pem.readPrivateKey(keyFile);
                Pem.writeEncryptedPrivateKey(keyFile, key, passphrase);
            }
            return new KeyPair(Pem.readPublicKey(publicFile), key);
        }
        Files.createDirectories(dir);
        KeyPair pair = KeyPairs.newP256();
        Pem.writeEncryptedPrivateKey(keyFile, pair.getPrivate(), passphrase);
        Pem.writePublicKey(publicFile, pair.getPublic());
        return pair;
    }
}
