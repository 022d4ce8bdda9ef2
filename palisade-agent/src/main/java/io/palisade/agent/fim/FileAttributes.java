package io.palisade.agent.fim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the baseline remembers of one regular file, the attribute set AIDE uses by default for
 * critical files: content hash, size, permission bits, owner and modification time.
 *
 * @param path  relative to the monitored root, with '/' separators
 * @param mode  permission bits in octal, e.g. {@code 0755}
 * @param mtime modification time in milliseconds since the epoch
 */
public record FileAttributes(String path, String sha256, long size, String mode, String owner, long mtime) {

    public FileAttributes {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(owner, "owner");
    }

    /** Names of the attributes that differ from {@code other} (same path assumed). */
    public List<String> differences(FileAttributes other) {
        List<String> changed = new ArrayList<>();
        if (!sha256.equals(other.sha256)) {
            changed.add("sha256");
        }
        if (size != other.size) {
            changed.add("size");
        }
        if (!mode.equals(other.mode)) {
            changed.add("mode");
        }
        if (!owner.equals(other.owner)) {
            changed.add("owner");
        }
        if (mtime != other.mtime) {
            changed.add("mtime");
        }
        return changed;
    }

    /** A one-line description for events and logs. */
    public String describe() {
        return "sha256 " + sha256.substring(0, Math.min(16, sha256.length())) + "…, " + size + " bytes, mode " + mode
                + ", owner " + owner + ", mtime " + java.time.Instant.ofEpochMilli(mtime);
    }
}
