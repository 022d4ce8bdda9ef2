package io.palisade.control;

import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The control plane's command key (P-256), which signs wipe and reflash commands. Devices pin its
 * public half ({@code palisade device enroll} stores it as {@code command-key.pem}). Created on
 * first start under {@code DATA/commands/}: {@code command.key} (0600, encrypted with the data directory's
 * key passphrase like the CA's keys) and {@code command.pem}. A key an earlier version wrote unencrypted
 * is encrypted at the next start.
 */
public record CommandKey(PrivateKey privateKey, PublicKey publicKey) {

    public static CommandKey loadOrCreate(Path dataDir, SecretBytes passphrase) throws IOException {
        java.security.KeyPair pair = SigningKeyFiles.loadOrCreate(dataDir.resolve("commands"), "command", passphrase);
        return new CommandKey(pair.getPrivate(), pair.getPublic());
    }

    public String publicPem() {
        return Pem.encode(publicKey);
    }
}
