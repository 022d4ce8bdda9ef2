package io.palisade.control;

import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The layout of the data directory (default {@code ./palisade-data}), shared by the server, which
 * creates it, and the CLI, which reads the admin token and the CA from it.
 *
 * <pre>
 * admin.token         bearer token of the REST API, 0600
 * palisade.db         SQLite store (devices, certificates, events)
 * ca/                 CA certificates and encrypted keys (see CaDirectory)
 * tls/server.crt      certificate of the HTTPS and MQTT ports, with the issuing CA
 * tls/server.key      its key, 0600
 * tuf/                firmware update repository: keys/ (0600), metadata/, targets/
 * </pre>
 */
public final class DataDirectory {

    private static final int ADMIN_TOKEN_ENTROPY_BYTES = 32;

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path adminTokenFile() {
        return root.resolve("admin.token");
    }

    /** Security events the store could not take yet (see {@code EventSpool}). */
    public Path eventSpoolFile() {
        return root.resolve("events.spool");
    }

    /** The REST API for commands on this host (a Unix domain socket, see {@code HttpsServer}). */
    public Path apiSocketFile() {
        return root.resolve("api.sock");
    }

    /** What detection has learned, written every few minutes and at shutdown (see {@code Detector#checkpoint}). */
    public Path detectionCheckpointFile() {
        return root.resolve("detection.checkpoint");
    }

    /**
     * The latest detection evaluation's report ({@code palisade detect eval} keeps it here), shown by the API and the
     * console.
     */
    public Path evaluationReportFile() {
        return root.resolve("detection-evaluation.json");
    }

    /** SIEM destinations' private keys (client keys, webhook signing keys), 0600 each. */
    public Path siemDirectory() {
        return root.resolve("siem");
    }

    public Path databaseFile() {
        return root.resolve("palisade.db");
    }

    public Path rootCaFile() {
        return root.resolve("ca").resolve("root.crt");
    }

    /** The firmware update repository ({@code palisade repo} writes it, HTTPS serves it under /tuf/). */
    public Path tufRepository() {
        return root.resolve("tuf");
    }

    public Path serverCertificateFile() {
        return root.resolve("tls").resolve("server.crt");
    }

    public Path serverKeyFile() {
        return root.resolve("tls").resolve("server.key");
    }

    /**
     * The key that seals devices' pre-shared keys in the store (0600): kept beside the store, not in it, so a copy of
     * the database (a backup, a PostgreSQL replica) does not hold usable keys.
     */
    public Path sealingKeyFile() {
        return root.resolve("sealing.key");
    }

    /** Reads the sealing key, creating a new random one on first use. */
    public io.palisade.core.secret.SecretSealer sealer() throws IOException {
        Path file = sealingKeyFile();
        if (!Files.exists(file)) {
            byte[] key = io.palisade.core.secret.SecretSealer.newKey();
            Pem.writeSecretFile(file, java.util.Base64.getEncoder().encodeToString(key) + "\n");
            io.palisade.core.secret.SecretBytes.wipe(key);
        }
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the sealing key " + file + " is not base64: " + e.getMessage());
        }
        try {
            return new io.palisade.core.secret.SecretSealer(key);
        } catch (IllegalArgumentException e) {
            throw new IOException("the sealing key " + file + " is damaged: " + e.getMessage());
        } finally {
            io.palisade.core.secret.SecretBytes.wipe(key);
        }
    }

    /** Creates the directory with mode 0700 when it does not exist. */
    public void create() throws IOException {
        if (!Files.exists(root)) {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Reads the admin token, creating a new random one on first use. */
    public SecretBytes adminTokenCreatingIfAbsent() throws IOException {
        if (!Files.exists(adminTokenFile())) {
            newAdminToken().close();
        }
        return readAdminToken();
    }

    /**
     * Generates a new admin token and writes it (0600, replacing the file atomically), so the old one is gone
     * from the directory the moment the new one is in it; returns it.
     */
    public SecretBytes newAdminToken() throws IOException {
        SecretBytes token = new OneTimeTokens().newToken(OneTimeTokens.ADMIN_PREFIX, ADMIN_TOKEN_ENTROPY_BYTES);
        byte[] text = token.copy();
        try {
            Pem.writeSecretFile(adminTokenFile(), new String(text, StandardCharsets.US_ASCII) + "\n");
            return token;
        } catch (IOException | RuntimeException e) {
            token.close();
            throw e;
        } finally {
            SecretBytes.wipe(text);
        }
    }

    /** Reads the admin token; fails with a sentence naming the file when it is missing. */
    public SecretBytes readAdminToken() throws IOException {
        if (!Files.exists(adminTokenFile())) {
            throw new IOException("no admin token at " + adminTokenFile()
                    + "; start Palisade once with this --data directory, or pass the right --data");
        }
        byte[] raw = Files.readAllBytes(adminTokenFile());
        try {
            int end = raw.length;
            while (end > 0 && Character.isWhitespace(raw[end - 1])) {
                end--;
            }
            return SecretBytes.wrap(java.util.Arrays.copyOf(raw, end));
        } finally {
            SecretBytes.wipe(raw);
        }
    }
}
