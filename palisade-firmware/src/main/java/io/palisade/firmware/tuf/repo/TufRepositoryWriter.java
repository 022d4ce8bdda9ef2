package io.palisade.firmware.tuf.repo;

import io.palisade.core.AtomicFiles;
import io.palisade.firmware.FirmwareCrypto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.firmware.tuf.CanonicalJson;
import io.palisade.firmware.tuf.TufException;
import io.palisade.firmware.tuf.TufKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A TUF repository in a directory ({@code keys/}, {@code metadata/}, {@code targets/}), with one ECDSA
 * P-256 key per role and threshold 1. Metadata is TUF 1.0 JSON signed over canonical JSON, the format
 * python-tuf and go-tuf clients read; {@code consistent_snapshot} is false, as in the reference vectors.
 *
 * <p>Keys are held by a {@link TufKeyring}: encrypted files (0600) in {@code keys/}, and the root key, which
 * only {@link #init} and {@link #rotateKey} need, preferably in an external file kept offline.
 */
public final class TufRepositoryWriter {

    public static final List<String> ROLES = List.of("root", "timestamp", "snapshot", "targets");
    public static final Duration ROOT_EXPIRY = Duration.ofDays(365);
    public static final Duration TARGETS_EXPIRY = Duration.ofDays(90);
    public static final Duration SNAPSHOT_EXPIRY = Duration.ofDays(30);
    public static final Duration TIMESTAMP_EXPIRY = Duration.ofDays(7);
    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The delegations this repository signs for (not served; the published form is in targets.json). */
    private static final String DELEGATIONS = "delegations.json";
    private final Path dir;
    private final Clock clock;
    private final TufKeyring keyring;

    public TufRepositoryWriter(Path dir, Clock clock, TufKeyring keys) {
        this.dir = dir;
        this.clock = clock;
        this.keyring = keys;
    }

    /** A repository whose keys, the root key included, are in {@code dir/keys}, encrypted with {@code passphrase}. */
    public static TufRepositoryWriter withKeysInside(Path dir, Clock clock, io.palisade.core.secret.SecretBytes passphrase) {
        return new TufRepositoryWriter(dir, clock, new TufKeyring(dir.resolve("keys"), passphrase, java.util.Optional.empty()));
    }

    public Path metadataDir() {
        return dir.resolve("metadata");
    }

    public Path targetsDir() {
        return dir.resolve("targets");
    }

    /** Creates keys, root version 1 and a first (empty) publication. */
    public void init() throws IOException, TufException {
        if (Files.exists(metadataDir().resolve("1.root.json"))) {
            throw new TufException("a repository already exists in " + dir);
        }
        Files.createDirectories(targetsDir());
        Files.createDirectories(metadataDir());
        for (String role : ROLES) {
            keyring.generate(role);
        }
        writeRoot(1, List.of(keyring.signing("root")));
        publish();
    }

    /** Copies {@code file} into the repository as target {@code name} (published by the next {@link #publish}). */
    public Path addTarget(Path file, String name) throws IOException, TufException {
        if (!TARGET_NAME.matcher(name).matches() || name.contains("..")) {
            throw new TufException("target name '" + name + "' must be a relative path of letters, digits, . _ - and /");
        }
        Path target = targetsDir().resolve(name).normalize();
        if (!target.startsWith(targetsDir())) {
            throw new TufException("target name '" + name + "' leaves the targets directory");
        }
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Delegates the targets matching {@code paths} (TUF path patterns, e.g. {@code firmware/vendor-a/*})
     * to a new role {@code name} with its own key ({@code keys/delegated/NAME.pem}): from the next
     * publication those targets are listed, and signed, in {@code NAME.json} instead of {@code targets.json}.
     * A terminating delegation stops clients from looking further for the paths it covers.
     */
    public void delegate(String name, List<String> paths, boolean terminating) throws IOException, TufException {
        if (!io.palisade.firmware.tuf.Delegations.isSafeRoleName(name) || ROLES.contains(name)) {
            throw new TufException("delegated role name '" + name + "' must be 1-64 letters, digits, . _ - and not a"
                    + " top-level role");
        }
        if (paths.isEmpty()) {
            throw new TufException("a delegation needs at least one path pattern");
        }
        ArrayNode delegations = delegations();
        for (JsonNode existing : delegations) {
            if (existing.path("name").asText().equals(name)) {
                throw new TufException("role '" + name + "' is delegated already");
            }
        }
        ObjectNode entry = delegations.addObject().put("name", name).put("terminating", terminating);
        paths.forEach(entry.putArray("paths")::add);
        keyring.generate("delegated/" + name);
        AtomicFiles.write(dir.resolve(DELEGATIONS), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(delegations),
                false);
    }

    private ArrayNode delegations() throws IOException {
        Path file = dir.resolve(DELEGATIONS);
        return Files.exists(file) ? (ArrayNode) JSON.readTree(file.toFile()) : JSON.createArrayNode();
    }

    /**
     * Signs new targets (every file under targets/, each in the metadata of the first delegated role whose
     * paths cover it, else in targets.json), delegated roles, snapshot and timestamp metadata, each one
     * version up.
     */
    public long publish() throws IOException, TufException {
        long targetsVersion = version("targets.json") + 1;
        long snapshotVersion = version("snapshot.json") + 1;
        long timestampVersion = version("timestamp.json") + 1;
        ArrayNode delegations = delegations();
        ObjectNode targets = header("targets", targetsVersion, TARGETS_EXPIRY);
        ObjectNode listed = targets.putObject("targets");
        java.util.Map<String, ObjectNode> delegatedListings = new java.util.LinkedHashMap<>();
        for (JsonNode delegation : delegations) {
            delegatedListings.put(delegation.path("name").asText(), JSON.createObjectNode());
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(targetsDir())) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String name = targetsDir().relativize(file).toString().replace('\\', '/');
            ObjectNode listing = listed;
            for (JsonNode delegation : delegations) {
                if (io.palisade.firmware.tuf.Delegations.covers(delegation, name)) {
                    listing = delegatedListings.get(delegation.path("name").asText());
                    break;
                }
            }
            ObjectNode entry = listing.putObject(name);
            entry.put("length", bytes.length);
            entry.putObject("hashes").put("sha256", HexFormat.of().formatHex(FirmwareCrypto.sha256(bytes)));
        }
        if (!delegations.isEmpty()) {
            ObjectNode delegationNode = targets.putObject("delegations");
            ObjectNode keys = delegationNode.putObject("keys");
            ArrayNode roles = delegationNode.putArray("roles");
            for (JsonNode delegation : delegations) {
                String role = delegation.path("name").asText();
                ObjectNode keyObject = TufKeys.ecdsaKeyObject(keyring.publicKey("delegated/" + role));
                String id = TufKeys.keyId(keyObject);
                keys.set(id, keyObject);
                ObjectNode roleNode = roles.addObject().put("name", role);
                roleNode.putArray("keyids").add(id);
                roleNode.put("threshold", 1);
                roleNode.set("paths", delegation.path("paths").deepCopy());
                roleNode.put("terminating", delegation.path("terminating").asBoolean(false));
            }
        }
        write("targets.json", targets, keyring.signing("targets"));

        ObjectNode snapshot = header("snapshot", snapshotVersion, SNAPSHOT_EXPIRY);
        ObjectNode snapshotMeta = snapshot.putObject("meta");
        snapshotMeta.putObject("targets.json").put("version", targetsVersion);
        for (java.util.Map.Entry<String, ObjectNode> role : delegatedListings.entrySet()) {
            String file = role.getKey() + ".json";
            long roleVersion = version(file) + 1;
            ObjectNode roleTargets = header("targets", roleVersion, TARGETS_EXPIRY);
            roleTargets.set("targets", role.getValue());
            write(file, roleTargets, keyring.signing("delegated/" + role.getKey()));
            snapshotMeta.putObject(file).put("version", roleVersion);
        }
        write("snapshot.json", snapshot, keyring.signing("snapshot"));

        ObjectNode timestamp = header("timestamp", timestampVersion, TIMESTAMP_EXPIRY);
        timestamp.putObject("meta").putObject("snapshot.json").put("version", snapshotVersion);
        write("timestamp.json", timestamp, keyring.signing("timestamp"));
        return targetsVersion;
    }

    /**
     * Re-signs timestamp metadata (one version up, same snapshot) when it expires within {@code margin},
     * so that devices keep updating without an operator re-publishing. Returns true when it re-signed.
     */
    public boolean refreshTimestamp(Duration margin) throws IOException, TufException {
        Path file = metadataDir().resolve("timestamp.json");
        if (!Files.exists(file)) {
            return false;
        }
        JsonNode current = JSON.readTree(file.toFile()).path("signed");
        Instant expires = Instant.parse(current.path("expires").asText());
        if (clock.instant().plus(margin).isBefore(expires)) {
            return false;
        }
        ObjectNode timestamp = header("timestamp", current.path("version").asLong() + 1, TIMESTAMP_EXPIRY);
        timestamp.set("meta", current.path("meta").deepCopy());
        write("timestamp.json", timestamp, keyring.signing("timestamp"));
        return true;
    }

    /**
     * Replaces the key of {@code role}: writes root version N+1 listing the new key, signed by the current
     * root key and, when the root key itself is replaced, by the new one too (clients require both).
     */
    public long rotateKey(String role) throws IOException, TufException {
        if (!ROLES.contains(role)) {
            throw new TufException("unknown role '" + role + "'; roles are " + String.join(", ", ROLES));
        }
        long next = version("root.json") + 1;
        KeyPair oldRoot = keyring.signing("root");
        KeyPair replacement = keyring.generate(role);
        List<KeyPair> signers = new ArrayList<>(List.of(oldRoot));
        if (role.equals("root")) {
            signers.add(replacement);
        }
        writeRoot(next, signers);
        publish();
        return next;
    }

    private void writeRoot(long version, List<KeyPair> signers) throws IOException, TufException {
        ObjectNode root = header("root", version, ROOT_EXPIRY);
        root.put("consistent_snapshot", false);
        ObjectNode keys = root.putObject("keys");
        ObjectNode roles = root.putObject("roles");
        for (String role : ROLES) {
            ObjectNode keyObject = TufKeys.ecdsaKeyObject(keyring.publicKey(role));
            String id = TufKeys.keyId(keyObject);
            keys.set(id, keyObject);
            ObjectNode roleNode = roles.putObject(role);
            roleNode.putArray("keyids").add(id);
            roleNode.put("threshold", 1);
        }
        write(version + ".root.json", root, signers.toArray(KeyPair[]::new));
        Files.copy(metadataDir().resolve(version + ".root.json"), metadataDir().resolve("root.json"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private ObjectNode header(String type, long version, Duration lifetime) {
        Instant expires = clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        return JSON.createObjectNode().put("_type", type).put("spec_version", "1.0.31").put("version", version)
                .put("expires", expires.toString());
    }

    private void write(String name, ObjectNode signed, KeyPair... signers) throws IOException, TufException {
        byte[] canonical = CanonicalJson.encode(signed);
        ObjectNode envelope = JSON.createObjectNode();
        ArrayNode signatures = envelope.putArray("signatures");
        for (KeyPair key : signers) {
            try {
                Signature signer = Signature.getInstance("SHA256withECDSA", FirmwareCrypto.BC);
                signer.initSign(key.getPrivate());
                signer.update(canonical);
                signatures.addObject().put("keyid", TufKeys.keyId(TufKeys.ecdsaKeyObject(key.getPublic())))
                        .put("sig", HexFormat.of().formatHex(signer.sign()));
            } catch (GeneralSecurityException e) {
                throw new TufException("cannot sign " + name, e);
            }
        }
        envelope.set("signed", signed);
        AtomicFiles.write(metadataDir().resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope),
                false);
    }

    private long version(String name) throws IOException {
        Path file = metadataDir().resolve(name);
        if (!Files.exists(file)) {
            return 0;
        }
        JsonNode node = JSON.readTree(file.toFile());
        return node.path("signed").path("version").asLong(0);
    }
}
