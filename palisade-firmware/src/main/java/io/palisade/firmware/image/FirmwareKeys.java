package io.palisade.firmware.image;

import io.palisade.core.AtomicFiles;
import io.palisade.core.secret.SecretBytes;
import io.palisade.firmware.FirmwareCrypto;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** Firmware signing keys: ECDSA P-256 (default) or Ed25519, as PEM files imgtool and OpenSSL read. */
public final class FirmwareKeys {

    /** PBKDF2 iterations for encrypted keys, as for the CA's keys. */
    private static final int PBKDF2_ITERATIONS = 210_000;

    /** The key types {@code palisade firmware keygen --type} accepts. */
    public enum Type { ECDSA_P256, ED25519 }

    private FirmwareKeys() {
    }

    public static KeyPair generate(Type type) throws GeneralSecurityException {
        if (type == Type.ED25519) {
            return KeyPairGenerator.getInstance("Ed25519", FirmwareCrypto.BC).generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FirmwareCrypto.BC);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Writes the private key (PKCS#8, 0600) and, beside it, the public key ({@code NAME.pub.pem}). */
    public static Path write(KeyPair keys, Path privateFile) throws IOException {
        writeFile(privateFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()), true);
        Path publicFile = privateFile.resolveSibling(publicName(privateFile));
        writeFile(publicFile, pem(keys.getPublic()), false);
        return publicFile;
    }

    /**
     * Writes the private key encrypted with {@code passphrase} (PKCS#8, AES-256-CBC, PBKDF2-HMAC-SHA256 as
     * {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it) and, beside it, the public key.
     */
    public static Path writeEncrypted(KeyPair keys, Path privateFile, SecretBytes passphrase) throws IOException {
        char[] password = passphrase.toChars();
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(FirmwareCrypto.BC)
                    .setPRF(org.bouncycastle.openssl.PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setPassword(password)
                    .build();
            writeFile(privateFile, pem(new JcaPKCS8Generator(keys.getPrivate(), encryptor).generate()), true);
        } catch (OperatorCreationException e) {
            throw new IOException("cannot encrypt the key for " + privateFile, e);
        } finally {
            SecretBytes.wipe(password);
        }
        Path publicFile = privateFile.resolveSibling(publicName(privateFile));
        writeFile(publicFile, pem(keys.getPublic()), false);
        return publicFile;
    }

    /** Whether {@code file} holds an encrypted PKCS#8 key. */
    public static boolean isEncrypted(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            return parser.readObject() instanceof PKCS8EncryptedPrivateKeyInfo;
        }
    }

    /** Reads an encrypted private key file and returns the pair; a wrong passphrase is a clear error. */
    public static KeyPair readEncrypted(Path file, SecretBytes passphrase) throws IOException {
        char[] password = passphrase.toChars();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            if (!(parser.readObject() instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
                throw new IOException(file + " holds no encrypted private key");
            }
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(FirmwareCrypto.BC).build(password));
            PrivateKey key = new JcaPEMKeyConverter().setProvider(FirmwareCrypto.BC).getPrivateKey(info);
            return new KeyPair(publicOf(key), key);
        } catch (PKCSException | OperatorCreationException e) {
            throw new IOException("cannot decrypt " + file + ": wrong passphrase or damaged file", e);
        } finally {
            SecretBytes.wipe(password);
        }
    }

    static String publicName(Path privateFile) {
        String name = privateFile.getFileName().toString();
        return (name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name) + ".pub.pem";
    }

    /** Reads a private key file and returns the pair (the public key is derived). */
    public static KeyPair readPrivate(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(FirmwareCrypto.BC);
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair);
            }
            if (object instanceof PrivateKeyInfo info) {
                PrivateKey key = converter.getPrivateKey(info);
                return new KeyPair(publicOf(key), key);
            }
            throw new IOException(file + " holds no unencrypted private key");
        }
    }

    public static PublicKey readPublic(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(FirmwareCrypto.BC);
            if (object instanceof SubjectPublicKeyInfo info) {
                return converter.getPublicKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPublic();
            }
            if (object instanceof PrivateKeyInfo info) {
                return publicOf(converter.getPrivateKey(info));
            }
            throw new IOException(file + " holds no public key");
        }
    }

    private static PublicKey publicOf(PrivateKey key) throws IOException {
        try {
            if (key instanceof org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey ed) {
                return ed.getPublicKey();
            }
            if (key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
                var spec = ec.getParameters();
                var point = spec.getG().multiply(ec.getD()).normalize();
                return java.security.KeyFactory.getInstance("EC", FirmwareCrypto.BC).generatePublic(
                        new org.bouncycastle.jce.spec.ECPublicKeySpec(point, spec));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot derive the public key", e);
        }
        throw new IOException("unsupported firmware key type " + key.getAlgorithm() + "; use ECDSA P-256 or Ed25519");
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeFile(Path file, String text, boolean secret) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), secret);
    }
}
