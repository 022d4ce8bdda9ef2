package io.palisade.agent.fim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What to do with a file that changed: only report it, move it into a quarantine directory (mode
 * 0700) with its execute bits removed so it can be examined but not run, or delete it.
 */
public enum FileResponse {
    REPORT, QUARANTINE, DELETE;

    public static FileResponse parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("response '" + text + "' is not report, quarantine or delete");
        }
    }

    /** Applies the response to {@code change}; returns what was done, for the event. */
    public String apply(FileChange change, Path root, Path quarantineDir) throws IOException {
        Path file = root.resolve(change.path()).normalize();
        if (this == REPORT || change.kind() == FileChange.Kind.REMOVED || !file.startsWith(root)
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "reported";
        }
        if (this == DELETE) {
            Files.delete(file);
            return "deleted";
        }
        Files.createDirectories(quarantineDir);
        Files.setPosixFilePermissions(quarantineDir, PosixFilePermissions.fromString("rwx------"));
        Path target = quarantineDir.resolve(change.path().replace('/', '_') + "." + System.currentTimeMillis());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(target));
        permissions.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE));
        Files.setPosixFilePermissions(target, permissions);
        return "moved to " + target + " without execute bits";
    }
}
