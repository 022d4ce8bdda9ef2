package io.palisade.pki.est;

import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A device's credentials as files in one directory, in the form {@code mosquitto_pub --cafile ca.pem
 * --cert cert.pem --key key.pem} and {@code curl} take them:
 *
 * <pre>
 * key.pem   the device's private key (PKCS#8), 0600
 * cert.pem  the device certificate
 * ca.pem    the Palisade CA certificates (issuing CA and root) the device trusts
 * </pre>
 */
public record DeviceCredentials(PrivateKey key, X509Certificate certificate, List<X509Certificate> caCertificates) {

    public static Path keyFile(Path dir) {
        return dir.resolve("key.pem");
    }

    public static Path certificateFile(Path dir) {
        return dir.resolve("cert.pem");
    }

    /** Instead of key.pem for a key in a TPM: {@code tcti=...} and {@code handle=0x81......}. */
    public static Path tpmKeyFile(Path dir) {
        return dir.resolve("key.tpm");
    }

    /** Records in {@code key.tpm} the handle of the TPM's attestation key made with the device key. */
    public static void recordAttestationKey(Path dir, int handle) throws IOException {
        String current = Files.readString(tpmKeyFile(dir), java.nio.charset.StandardCharsets.US_ASCII);
        io.palisade.core.AtomicFiles.write(tpmKeyFile(dir), (current + "ak=" + io.palisade.pki.tpm.TpmKeys.hex(handle)
                + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
    }

    /** The attestation key {@code key.tpm} names, if the device has one. */
    public static java.util.Optional<io.palisade.pki.tpm.TpmAttestationKey> attestationKey(Path dir) throws IOException {
        if (!Files.exists(tpmKeyFile(dir))) {
            return java.util.Optional.empty();
        }
        java.util.Properties where = new java.util.Properties();
        try (var in = Files.newInputStream(tpmKeyFile(dir))) {
            where.load(in);
        }
        String ak = where.getProperty("ak");
        if (ak == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(io.palisade.pki.tpm.TpmAttestationKey.open(
                    new io.palisade.pki.tpm.Tpm2Tools(where.getProperty("tcti", "")),
                    io.palisade.pki.tpm.TpmKeys.parseHandle(ak)));
        } catch (IllegalArgumentException e) {
            throw new IOException(tpmKeyFile(dir) + ": " + e.getMessage());
        }
    }

    /** The TPM key {@code key.tpm} names. */
    public static io.palisade.pki.tpm.TpmPrivateKey tpmKey(Path dir) throws IOException {
        java.util.Properties where = new java.util.Properties();
        try (var in = Files.newInputStream(tpmKeyFile(dir))) {
            where.load(in);
        }
        String tcti = where.getProperty("tcti");
        String handle = where.getProperty("handle");
        if (tcti == null || handle == null) {
            throw new IOException(tpmKeyFile(dir) + " must name the TPM (tcti=) and the key's handle (handle=)");
        }
        try {
            return io.palisade.pki.tpm.TpmKeys.open(new io.palisade.pki.tpm.Tpm2Tools(tcti),
                    io.palisade.pki.tpm.TpmKeys.parseHandle(handle));
        } catch (IllegalArgumentException e) {
            throw new IOException(tpmKeyFile(dir) + ": " + e.getMessage());
        }
    }

    public static Path caFile(Path dir) {
        return dir.resolve("ca.pem");
    }

    /**
     * Writes the credentials so that an interruption at any point leaves a matching key and certificate:
     * the new pair is first written beside the old one ({@code *.next}), then moved into place key
     * first; {@link #read} finishes or discards an interrupted write.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Pem.writeCertificates(caFile(dir), caCertificates);
        if (key instanceof io.palisade.pki.tpm.TpmPrivateKey tpmKey) {
            // Where the key is, not the key: it stays in the TPM.
            io.palisade.core.AtomicFiles.write(tpmKeyFile(dir), ("tcti=" + tpmKey.tpm().tcti() + "\nhandle="
                    + io.palisade.pki.tpm.TpmKeys.hex(tpmKey.handle()) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    true);
            Files.deleteIfExists(keyFile(dir));
            Pem.writeCertificates(certificateFile(dir), List.of(certificate));
            return;
        }
        Pem.writePrivateKey(next(keyFile(dir)), key);
        Pem.writeCertificates(next(certificateFile(dir)), List.of(certificate));
        completeInterruptedWrite(dir);
    }

    public static DeviceCredentials read(Path dir) throws IOException {
        if (Files.exists(tpmKeyFile(dir))) {
            return new DeviceCredentials(tpmKey(dir), Pem.readCertificates(certificateFile(dir)).get(0),
                    Pem.readCertificates(caFile(dir)));
        }
        completeInterruptedWrite(dir);
        for (Path file : List.of(keyFile(dir), certificateFile(dir), caFile(dir))) {
            if (!Files.exists(file)) {
                throw new IOException("missing " + file + "; enroll the device first with `palisade device enroll`");
            }
        }
        return new DeviceCredentials(Pem.readPrivateKey(keyFile(dir)), Pem.readCertificates(certificateFile(dir)).get(0),
                Pem.readCertificates(caFile(dir)));
    }

    /** A complete new pair exists once cert.pem.next does, because it is written after key.pem.next. */
    private static void completeInterruptedWrite(Path dir) throws IOException {
        Path nextKey = next(keyFile(dir));
        Path nextCertificate = next(certificateFile(dir));
        if (Files.exists(nextCertificate)) {
            if (Files.exists(nextKey)) {
                Files.move(nextKey, keyFile(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(nextCertificate, certificateFile(dir), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.deleteIfExists(nextKey);
        }
    }

    private static Path next(Path file) {
        return file.resolveSibling(file.getFileName() + ".next");
    }

    public TlsContexts.ClientIdentity identity() {
        return new TlsContexts.ClientIdentity(key, List.of(certificate));
    }
}
