package io.palisade.firmware.tuf.repo;

import io.palisade.core.secret.SecretBytes;
import io.palisade.firmware.image.FirmwareKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a repository's role keys are and how they are unlocked. Online keys (timestamp, snapshot, targets,
 * delegated roles) are in {@code keys/ROLE.pem}, encrypted with the repository's passphrase, each with its
 * public half beside it ({@code ROLE.pub.pem}). The root key is either there too or, when the repository
 * was made with an external root key, only in the operator's file (offline, on other media, with its own
 * passphrase): then just its public half is in {@code keys/}, and only {@code init} and {@code rotate-key},
 * the two operations that sign root metadata, ask for it.
 *
 * <p>Keys of a repository made before keys were encrypted are plain PEM: they are read and re-written
 * encrypted at first use.
 */
public final class TufKeyring {

    private static final System.Logger LOG = System.getLogger(TufKeyring.class.getName());

    private final Path keysDir;
    private final SecretBytes passphrase;
    private final Optional<ExternalRootKey> externalRoot;
    private final Map<String, KeyPair> unlocked = new HashMap<>();

    /** The root key in the operator's own file, unlocked with a passphrase asked for only when needed. */
    public record ExternalRootKey(Path file, Supplier<SecretBytes> passphrase) {
    }

    public TufKeyring(Path keysDir, SecretBytes passphrase, Optional<ExternalRootKey> externalRoot) {
        this.keysDir = keysDir;
        this.passphrase = passphrase;
        this.externalRoot = externalRoot;
    }

    /** Creates a new key for {@code role}, replacing any; returns it. */
    KeyPair generate(String role) throws IOException {
        KeyPair keys;
        try {
            keys = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate a " + role + " key", e);
        }
        Path file = privateFile(role);
        Files.createDirectories(file.getParent());
        if (isRoot(role) && externalRoot.isPresent()) {
            ExternalRootKey root = externalRoot.get();
            if (root.file().toAbsolutePath().normalize().startsWith(keysDir.getParent().toAbsolutePath().normalize())) {
                throw new IOException("the external root key " + root.file() + " must live outside the repository");
            }
            if (root.file().toAbsolutePath().getParent() != null) {
                Files.createDirectories(root.file().toAbsolutePath().getParent());
            }
            try (SecretBytes rootPassphrase = root.passphrase().get()) {
                Path publicFile = FirmwareKeys.writeEncrypted(keys, root.file(), rootPassphrase);
                Files.copy(publicFile, publicFile(role), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(file); // a root key kept in the repository earlier is gone now
        } else {
            FirmwareKeys.writeEncrypted(keys, file, passphrase);
        }
        unlocked.put(role, keys);
        return keys;
    }

    /** The key pair that signs for {@code role}. */
    KeyPair signing(String role) throws IOException {
        KeyPair cached = unlocked.get(role);
        if (cached != null) {
            return cached;
        }
        KeyPair keys;
        if (isRoot(role) && externalRoot.isPresent()) {
            try (SecretBytes rootPassphrase = externalRoot.get().passphrase().get()) {
                keys = FirmwareKeys.readEncrypted(externalRoot.get().file(), rootPassphrase);
            }
            if (Files.exists(publicFile(role)) && !FirmwareKeys.readPublic(publicFile(role)).equals(keys.getPublic())) {
                throw new IOException(externalRoot.get().file() + " is not this repository's root key");
            }
        } else {
            keys = readInRepository(role);
        }
        unlocked.put(role, keys);
        return keys;
    }

    private KeyPair readInRepository(String role) throws IOException {
        Path file = privateFile(role);
        if (!Files.exists(file)) {
            if (isRoot(role)) {
                throw new IOException("the root key is not in this repository (it was made with an external root"
                        + " key); give it with --root-key FILE");
            }
            throw new IOException("no key for role " + role + " in " + keysDir);
        }
        if (FirmwareKeys.isEncrypted(file)) {
            return FirmwareKeys.readEncrypted(file, passphrase);
        }
        KeyPair plain = FirmwareKeys.readPrivate(file);
        FirmwareKeys.writeEncrypted(plain, file, passphrase);
        LOG.log(System.Logger.Level.INFO, "encrypted the " + role + " key " + file + " (written unencrypted by an"
                + " earlier version)");
        return plain;
    }

    /** The public key of {@code role}, without unlocking anything. */
    PublicKey publicKey(String role) throws IOException {
        KeyPair cached = unlocked.get(role);
        if (cached != null) {
            return cached.getPublic();
        }
        Path file = publicFile(role);
        if (Files.exists(file)) {
            return FirmwareKeys.readPublic(file);
        }
        return signing(role).getPublic();
    }

    private static boolean isRoot(String role) {
        return role.equals("root");
    }

    private Path privateFile(String role) {
        return keysDir.resolve(role + ".pem");
    }

    private Path publicFile(String role) {
        return keysDir.resolve(role + ".pub.pem");
    }
}
