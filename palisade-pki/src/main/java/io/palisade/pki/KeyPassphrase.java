package io.palisade.pki;

import io.palisade.core.secret.SecretBytes;
import io.palisade.core.secret.OneTimeTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The passphrase that encrypts private keys at rest (PKCS#8, AES-256, PBKDF2): taken from an environment
 * variable when it is set, else from a file (0600) beside the keys, which is generated with the first key.
 *
 * <p>The file protects copies of the keys (a backup, a leaked folder without the passphrase); operators who
 * want more set the variable from a secret store and delete the file. Once keys exist, a missing passphrase
 * is an error naming both places, never a new passphrase that could not open them.
 */
public final class KeyPassphrase {

    private KeyPassphrase() {
    }

    /**
     * @param envValue   the environment variable's value, when set
     * @param envName    its name, for the error message
     * @param file       where the passphrase is kept when the variable is not set
     * @param keysExist  whether keys encrypted with it exist already (then it is never generated)
     */
    public static SecretBytes resolve(Optional<String> envValue, String envName, Path file, boolean keysExist)
            throws IOException {
        if (envValue.isPresent() && !envValue.get().isEmpty()) {
            return SecretBytes.wrap(envValue.get().getBytes(StandardCharsets.UTF_8));
        }
        if (Files.exists(file)) {
            return SecretBytes.wrap(Files.readString(file, StandardCharsets.US_ASCII).strip()
                    .getBytes(StandardCharsets.US_ASCII));
        }
        if (keysExist) {
            throw new IOException("the keys in " + file.getParent() + " are encrypted but neither " + envName
                    + " nor " + file + " provides the passphrase");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (SecretBytes generated = new OneTimeTokens().newToken("", 32)) {
            byte[] text = generated.copy();
            try {
                Pem.writeSecretFile(file, new String(text, StandardCharsets.US_ASCII) + "\n");
            } finally {
                SecretBytes.wipe(text);
            }
            return SecretBytes.wrap(generated.copy());
        }
    }
}
