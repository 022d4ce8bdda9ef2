package io.palisade.pki.ca;

import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.KeyPassphrase;
import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The CA's files under the data directory, created on first start and reused afterwards.
 *
 * <pre>
 * ca/root.crt       root CA certificate (also the trust anchor devices pin)
 * ca/root.key       root CA key, PKCS#8 encrypted with the CA passphrase, 0600
 * ca/issuing.crt    issuing CA certificate
 * ca/issuing.key    issuing CA key, PKCS#8 encrypted with the CA passphrase, 0600
 * ca/passphrase     the CA passphrase, 0600; absent when it comes from PALISADE_CA_PASSPHRASE
 * </pre>
 *
 * <p>Keeping the passphrase in a file next to the keys protects copies of the keys (backups,
 * a leaked {@code ca/} folder without the passphrase); operators who want more set the
 * environment variable from a secret store and delete the file.
 */
public final class CaDirectory {

    public static final String PASSPHRASE_ENV = "PALISADE_CA_PASSPHRASE";

    private final Path dir;

    public CaDirectory(Path dataDir) {
        this.dir = dataDir.resolve("ca");
    }

    public Path rootCertificateFile() {
        return dir.resolve("root.crt");
    }

    public boolean exists() {
        return Files.exists(dir.resolve("issuing.key"));
    }

    /**
     * Loads the CA, creating it first when the directory holds none.
     *
     * @param envPassphrase the value of {@value #PASSPHRASE_ENV}, when set
     */
    public CertificateAuthority openOrCreate(Optional<String> envPassphrase, DeviceCertificateProfile profile,
                                             Clock clock) throws IOException {
        try (SecretBytes passphrase = passphrase(envPassphrase)) {
            if (!exists()) {
                create(passphrase, clock);
            }
            X509Certificate root = Pem.readCertificates(rootCertificateFile()).get(0);
            X509Certificate issuing = Pem.readCertificates(dir.resolve("issuing.crt")).get(0);
            PrivateKey issuingKey = Pem.readEncryptedPrivateKey(dir.resolve("issuing.key"), passphrase);
            return new CertificateAuthority(root, issuing, issuingKey, profile, clock);
        }
    }

    private void create(SecretBytes passphrase, Clock clock) throws IOException {
        Files.createDirectories(dir);
        byte[] instance = new byte[4];
        new SecureRandom().nextBytes(instance);
        CertificateAuthority.Created created = CertificateAuthority.create(HexFormat.of().formatHex(instance),
                KeyPairs.newP256(), KeyPairs.newP256(), clock);
        Pem.writeEncryptedPrivateKey(dir.resolve("root.key"), created.rootKeys().getPrivate(), passphrase);
        Pem.writeCertificates(rootCertificateFile(), List.of(created.root()));
        Pem.writeCertificates(dir.resolve("issuing.crt"), List.of(created.issuing()));
        // The issuing key is written last: its presence is what marks the CA as complete.
        Pem.writeEncryptedPrivateKey(dir.resolve("issuing.key"), created.issuingKeys().getPrivate(), passphrase);
    }

    private SecretBytes passphrase(Optional<String> envPassphrase) throws IOException {
        return KeyPassphrase.resolve(envPassphrase, PASSPHRASE_ENV, passphraseFile(), exists());
    }

    /**
     * The data directory's key passphrase: the CA's, which also encrypts the update repository's role keys
     * and the command key, so that one secret protects every key of a data directory at rest.
     */
    public static SecretBytes keyPassphrase(Path dataDir) throws IOException {
        CaDirectory ca = new CaDirectory(dataDir);
        return ca.passphrase(Optional.ofNullable(System.getenv(PASSPHRASE_ENV)));
    }

    private Path passphraseFile() {
        return dir.resolve("passphrase");
    }
}
