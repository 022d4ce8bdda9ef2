package io.palisade.firmware.tuf;

import io.palisade.firmware.FirmwareCrypto;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The TUF 1.0 client workflow (specification section 5): update root through its chain of versions,
 * then timestamp, snapshot and targets, then download a target and check it against targets metadata.
 * Each check is there for an attack: threshold signatures from the right role (arbitrary software),
 * versions never going down (rollback), expiry (freeze), versions that must agree between roles
 * (mix-and-match), byte limits on every read (endless data), and root rotation signed by old and new
 * keys (fast-forward recovery; compromised keys rotated out).
 *
 * <p>Trusted state lives in this object; a device keeps it across runs by passing the last trusted
 * versions back in ({@link TrustedState}).
 */
public final class TufClient {

    public static final long MAX_ROOT_BYTES = 512 * 1024;
    public static final long MAX_TIMESTAMP_BYTES = 16 * 1024;
    public static final long MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024;
    public static final long MAX_TARGETS_BYTES = 5 * 1024 * 1024;
    /** More root versions than this in one refresh look like an attack (or a client years out of date). */
    public static final int MAX_ROOT_ROTATIONS = 32;
    /** Delegated roles visited per lookup, against delegation loops and fan-out floods. */
    public static final int MAX_DELEGATIONS = 32;

    /** Versions the device trusted after its last successful refresh (0 when none). */
    public record TrustedState(long timestampVersion, long snapshotVersion, long targetsVersion) {
        public static final TrustedState NONE = new TrustedState(0, 0, 0);
    }

    /** A target as targets metadata describes it. */
    public record TargetInfo(String path, long length, byte[] sha256) {
    }

    private final Repository repository;
    private final Clock clock;
    private Metadata root;
    private Metadata timestamp;
    private Metadata snapshot;
    private Metadata targets;
    /** Delegated targets roles loaded since the last refresh, by name. */
    private final Map<String, Metadata> delegatedRoles = new java.util.HashMap<>();
    private TrustedState trusted;

    /** @param trustedRoot the root metadata the device was provisioned with (or last trusted) */
    public TufClient(Repository repository, byte[] trustedRoot, TrustedState trusted, Clock clock) throws TufException {
        this.repository = repository;
        this.clock = clock;
        this.root = Metadata.parse(trustedRoot, "root");
        // The trusted root is trusted by provisioning; its self-signatures are still checked, as the spec says.
        root.verify(root.role("root"), "its own root");
        this.trusted = trusted;
    }

    /** Runs the whole refresh; afterwards {@link #target} and {@link #download} use the new metadata. */
    public TrustedState refresh() throws TufException {
        updateRoot();
        updateTimestamp();
        updateSnapshot();
        updateTargets();
        trusted = new TrustedState(timestamp.version, snapshot.version, targets.version);
        return trusted;
    }

    public long rootVersion() {
        return root.version;
    }

    private void updateRoot() throws TufException {
        for (int i = 0; i < MAX_ROOT_ROTATIONS; i++) {
            String name = (root.version + 1) + ".root.json";
            Optional<byte[]> next = fetch(name, MAX_ROOT_BYTES);
            if (next.isEmpty()) {
                break;
            }
            Metadata candidate = Metadata.parse(next.get(), "root");
            candidate.verify(root.role("root"), "the trusted root's");
            candidate.verify(candidate.role("root"), "its own root");
            if (candidate.version != root.version + 1) {
                throw new TufException(name + " carries version " + candidate.version + "; expected "
                        + (root.version + 1) + " (rollback or fast-forward)");
            }
            boolean rotated = !candidate.signed.path("roles").path("timestamp").equals(root.signed.path("roles")
                    .path("timestamp")) || !candidate.signed.path("roles").path("snapshot")
                    .equals(root.signed.path("roles").path("snapshot"));
            root = candidate;
            if (rotated) {
                // Fast-forward recovery: versions signed by rotated-out keys no longer bind us.
                trusted = TrustedState.NONE;
            }
        }
        root.checkNotExpired(clock.instant());
    }

    private void updateTimestamp() throws TufException {
        Metadata candidate = Metadata.parse(require("timestamp.json", MAX_TIMESTAMP_BYTES), "timestamp");
        candidate.verify(root.role("timestamp"), "the root's timestamp");
        if (candidate.version < trusted.timestampVersion()) {
            throw new TufException("timestamp version " + candidate.version + " is older than the trusted "
                    + trusted.timestampVersion() + " (rollback attack)");
        }
        if (candidate.metaVersion("snapshot.json") < trusted.snapshotVersion()) {
            throw new TufException("timestamp names snapshot version " + candidate.metaVersion("snapshot.json")
                    + ", older than the trusted " + trusted.snapshotVersion() + " (rollback attack)");
        }
        candidate.checkNotExpired(clock.instant());
        timestamp = candidate;
    }

    private void updateSnapshot() throws TufException {
        Metadata candidate = fetchListed(timestamp, "snapshot.json", "snapshot", MAX_SNAPSHOT_BYTES);
        if (snapshot != null) {
            for (Map.Entry<String, Long> old : snapshot.allMetaVersions().entrySet()) {
                Long now = candidate.allMetaVersions().get(old.getKey());
                if (now == null || now < old.getValue()) {
                    throw new TufException("snapshot drops or rolls back " + old.getKey() + " (rollback attack)");
                }
            }
        }
        if (candidate.metaVersion("targets.json") < trusted.targetsVersion()) {
            throw new TufException("snapshot names targets version " + candidate.metaVersion("targets.json")
                    + ", older than the trusted " + trusted.targetsVersion() + " (rollback attack)");
        }
        candidate.checkNotExpired(clock.instant());
        snapshot = candidate;
    }

    private void updateTargets() throws TufException {
        Metadata candidate = fetchListed(snapshot, "targets.json", "targets", MAX_TARGETS_BYTES);
        candidate.checkNotExpired(clock.instant());
        targets = candidate;
        delegatedRoles.clear();
    }

    /**
     * Fetches metadata that {@code parent} lists: within the listed length (else {@code maxBytes}), matching
     * the listed hash, signed by the root's keys for {@code type}, and of exactly the listed version.
     */
    private Metadata fetchListed(Metadata parent, String file, String type, long maxBytes) throws TufException {
        byte[] bytes = require(file, declaredLength(parent.meta(file), maxBytes));
        checkHashes(parent.meta(file), bytes, file);
        Metadata candidate = Metadata.parse(bytes, type);
        candidate.verify(root.role(type), "the root's " + type);
        long expected = parent.metaVersion(file);
        if (candidate.version != expected) {
            throw new TufException(type + " version " + candidate.version + " is not the " + expected + " the "
                    + parent.type + " names (mix-and-match attack)");
        }
        return candidate;
    }

    /**
     * The target's description: from the top-level targets metadata, or else from the delegated roles
     * whose paths cover it, searched depth first in listed order (at most {@value #MAX_DELEGATIONS} roles;
     * a matching terminating delegation ends the search below it), as the TUF client workflow says.
     * Each delegated role's metadata must be the version snapshot lists and be signed by the keys and
     * threshold its delegator names.
     */
    public TargetInfo target(String path) throws TufException {
        if (targets == null) {
            throw new TufException("refresh() must succeed before targets can be looked up");
        }
        java.util.Deque<Metadata> toVisit = new java.util.ArrayDeque<>();
        toVisit.push(targets);
        java.util.Set<String> visited = new java.util.HashSet<>();
        int visits = 0;
        while (!toVisit.isEmpty() && visits++ < MAX_DELEGATIONS) {
            Metadata role = toVisit.pop();
            JsonNode entry = role.signed.path("targets").path(path);
            if (entry.isObject()) {
                return targetInfo(path, entry);
            }
            java.util.List<Metadata> children = new java.util.ArrayList<>();
            for (JsonNode delegation : role.signed.path("delegations").path("roles")) {
                String name = delegation.path("name").asText();
                if (!Delegations.covers(delegation, path) || !visited.add(name)) {
                    continue;
                }
                children.add(delegated(role, delegation));
                if (delegation.path("terminating").asBoolean(false)) {
                    toVisit.clear();
                    break;
                }
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                toVisit.push(children.get(i));
            }
        }
        throw new TufException("targets v" + targets.version + " (with its delegations) lists no target " + path);
    }

    private Metadata delegated(Metadata delegator, JsonNode delegation) throws TufException {
        String name = delegation.path("name").asText();
        Metadata cached = delegatedRoles.get(name);
        if (cached != null) {
            return cached;
        }
        if (!Delegations.isSafeRoleName(name)) {
            throw new TufException("delegated role name '" + name + "' is not a safe file name");
        }
        String file = name + ".json";
        byte[] bytes = require(file, declaredLength(snapshot.meta(file), MAX_TARGETS_BYTES));
        checkHashes(snapshot.meta(file), bytes, file);
        Metadata candidate = Metadata.parse(bytes, "targets");
        candidate.verify(delegator.delegatedRole(delegation), "delegated role " + name + "'s");
        long expected = snapshot.metaVersion(file);
        if (candidate.version != expected) {
            throw new TufException(file + " version " + candidate.version + " is not the " + expected
                    + " the snapshot names (mix-and-match attack)");
        }
        candidate.checkNotExpired(clock.instant());
        delegatedRoles.put(name, candidate);
        return candidate;
    }

    private static TargetInfo targetInfo(String path, JsonNode entry) throws TufException {
        JsonNode sha256 = entry.path("hashes").path("sha256");
        if (!entry.path("length").canConvertToLong() || !sha256.isTextual()) {
            throw new TufException("target " + path + " has no length or sha256");
        }
        return new TargetInfo(path, entry.get("length").asLong(), HexFormat.of().parseHex(sha256.asText()));
    }

    /** Downloads the target (never more than its listed length) and checks length and SHA-256. */
    public byte[] download(String path) throws TufException {
        TargetInfo info = target(path);
        byte[] bytes;
        try {
            bytes = repository.target(path, info.length());
        } catch (IOException e) {
            throw new TufException("cannot download " + path + ": " + e.getMessage(), e);
        }
        if (bytes.length != info.length() || !MessageDigest.isEqual(FirmwareCrypto.sha256(bytes), info.sha256())) {
            throw new TufException("target " + path + " does not match the length and sha256 in targets metadata"
                    + " (arbitrary software or a corrupted mirror)");
        }
        return bytes;
    }

    private Optional<byte[]> fetch(String name, long maxBytes) throws TufException {
        try {
            return repository.metadata(name, maxBytes);
        } catch (IOException e) {
            throw new TufException("cannot fetch " + name + ": " + e.getMessage() + " (endless data or a broken"
                    + " mirror)", e);
        }
    }

    private byte[] require(String name, long maxBytes) throws TufException {
        return fetch(name, maxBytes).orElseThrow(() -> new TufException("the repository has no " + name));
    }

    private static long declaredLength(JsonNode meta, long defaultLimit) {
        return meta.path("length").canConvertToLong() ? meta.get("length").asLong() : defaultLimit;
    }

    private static void checkHashes(JsonNode meta, byte[] bytes, String name) throws TufException {
        JsonNode sha256 = meta.path("hashes").path("sha256");
        if (meta.path("length").canConvertToLong() && meta.get("length").asLong() != bytes.length) {
            throw new TufException(name + " is " + bytes.length + " bytes, not the " + meta.get("length").asLong()
                    + " listed");
        }
        if (sha256.isTextual()
                && !MessageDigest.isEqual(FirmwareCrypto.sha256(bytes), HexFormat.of().parseHex(sha256.asText()))) {
            throw new TufException(name + " does not match the sha256 listed for it");
        }
    }
}
