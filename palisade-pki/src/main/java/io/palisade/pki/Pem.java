package io.palisade.pki;

import io.palisade.core.AtomicFiles;
import io.palisade.core.secret.SecretBytes;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing certificates and keys as PEM files that OpenSSL reads too.
 *
 * <p>Key files are created with mode 0600 before any byte is written, so a key is never readable by
 * others even for a moment. Encrypted keys use PKCS#8 PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC).
 */
public final class Pem {

    /** PBKDF2 iterations for encrypted keys: slow enough to hurt guessing, fast enough for a start-up. */
    static final int PBKDF2_ITERATIONS = 210_000;

    private Pem() {
    }

    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(encode(c)));
        return out.toString();
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    public static List<X509Certificate> parseCertificates(String pem, String origin) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new IOException(origin + " holds a " + object.getClass().getSimpleName()
                            + " where a certificate was expected");
                }
                certificates.add(toX509(holder));
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(origin + " holds no PEM certificate");
        }
        return certificates;
    }

    public static X509Certificate toX509(X509CertificateHolder holder) throws IOException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
    }

    /** Reads an unencrypted private key (PKCS#8 or SEC1 "EC PRIVATE KEY"). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IOException(file + " is encrypted; a passphrase is needed");
            }
            throw new IOException(file + " holds no private key");
        }
    }

    /** Reads a public key ("PUBLIC KEY", SubjectPublicKeyInfo). */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    public static PublicKey parsePublicKey(String pem, String origin) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof SubjectPublicKeyInfo info) {
                return new JcaPEMKeyConverter().getPublicKey(info);
            }
            throw new IOException(origin + " holds no PEM public key");
        }
    }

    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        writeAtomically(file, encode(key), false);
    }

    /** Whether {@code file} holds an encrypted PKCS#8 private key. */
    public static boolean isEncryptedPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            return parser.readObject() instanceof PKCS8EncryptedPrivateKeyInfo;
        }
    }

    /** Reads a PKCS#8 key encrypted with {@code passphrase}; a wrong passphrase gives a clear error. */
    public static PrivateKey readEncryptedPrivateKey(Path file, SecretBytes passphrase) throws IOException {
        char[] password = passphrase.toChars();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
                throw new IOException(file + " holds no encrypted PKCS#8 private key");
            }
            java.util.Optional<PrivateKeyInfo> fast = Pbes2Decryption.decrypt(encrypted, password);
            PrivateKeyInfo info = fast.isPresent() ? fast.get() : encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PKCSException | OperatorCreationException | java.security.GeneralSecurityException
                 | IllegalArgumentException e) {
            throw new IOException("cannot decrypt " + file + ": wrong CA passphrase (" + io.palisade.pki.ca.CaDirectory.PASSPHRASE_ENV
                    + " or ca/passphrase; it also protects the update repository's and the command key) or damaged file", e);
        } finally {
            SecretBytes.wipe(password);
        }
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeSecretFile(file, encode(new JcaPKCS8Generator(key, null).generate()));
    }

    public static void writeEncryptedPrivateKey(Path file, PrivateKey key, SecretBytes passphrase) throws IOException {
        char[] password = passphrase.toChars();
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(Bc.PROVIDER)
                    .setPRF(org.bouncycastle.openssl.PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setPassword(password)
                    .build();
            writeSecretFile(file, encode(new JcaPKCS8Generator(key, encryptor).generate()));
        } catch (OperatorCreationException e) {
            throw new IOException("cannot encrypt private key for " + file, e);
        } finally {
            SecretBytes.wipe(password);
        }
    }

    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        writeAtomically(file, encodeCertificates(certificates), false);
    }

    /** Writes text readable only by the owner (0600), replacing the file atomically. */
    public static void writeSecretFile(Path file, String text) throws IOException {
        writeAtomically(file, text, true);
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), secret);
    }
}
