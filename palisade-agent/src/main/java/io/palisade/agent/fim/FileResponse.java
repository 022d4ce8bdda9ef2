package io.palisade.agent.fim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to do with a file that changed: only report it; disable the application it belongs to (see
 * {@link ApplicationDisabler}); move it into a quarantine directory (mode 0700) as a read-only copy
 * (0400) that can be examined but not run; or delete it.
 *
 * <p>A change of attributes only (mode, owner, modification time; the content is intact) is never answered
 * by moving, deleting or disabling: the legitimate file is still there, so its mode (and, as root, its owner)
 * is put back as the baseline has it, and the rest is reported. Moving a chmod'ed start script out of an
 * application broke the application and removed no threat.
 */
public enum FileResponse {
    REPORT, DISABLE, QUARANTINE, DELETE;

    /**
     * Where a response acts: the monitored root, the quarantine directory, the applications' directories
     * under the root (a changed file belongs to the innermost one containing it, else to the root), and
     * the command that stops an application (may be empty).
     */
    public record Target(Path root, Path quarantineDir, List<Path> applications, List<String> stopCommand) {

        public Target {
            root = root.toAbsolutePath().normalize();
            applications = applications.stream().map(a -> a.toAbsolutePath().normalize()).toList();
            stopCommand = List.copyOf(stopCommand);
        }

        Path applicationOf(Path file) {
            return applications.stream().filter(file::startsWith)
                    .max(java.util.Comparator.comparingInt(Path::getNameCount)).orElse(root);
        }
    }

    public static FileResponse parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("response '" + text + "' is not report, disable, quarantine or delete");
        }
    }

    /** Applies the response to {@code change}; returns what was done, for the event. */
    public String apply(FileChange change, Path root, Path quarantineDir) throws IOException {
        return apply(change, new Target(root, quarantineDir, List.of(), List.of()));
    }

    /** Applies the response to {@code change}; returns what was done, for the event. */
    public String apply(FileChange change, Target target) throws IOException {
        Path root = target.root();
        Path quarantineDir = target.quarantineDir();
        Path file = root.resolve(change.path()).normalize();
        if (this == REPORT || !file.startsWith(root)) {
            return "reported";
        }
        if (change.kind() == FileChange.Kind.MODIFIED && !change.changedAttributes().contains("sha256")
                && !change.changedAttributes().contains("size")) {
            return restoreAttributes(change, file);
        }
        if (this == DISABLE) { // also for removed files: a deleted library disables its application too
            Path application = target.applicationOf(file);
            if (Files.exists(application.resolve(ApplicationDisabler.MARKER))) {
                return "reported (application " + application + " is already disabled)";
            }
            return ApplicationDisabler.disable(application, change.kind().name().toLowerCase(Locale.ROOT) + " "
                    + change.path(), target.stopCommand());
        }
        if (change.kind() == FileChange.Kind.REMOVED || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "reported";
        }
        if (this == DELETE) {
            Files.delete(file);
            return "deleted";
        }
        Files.createDirectories(quarantineDir);
        Files.setPosixFilePermissions(quarantineDir, PosixFilePermissions.fromString("rwx------"));
        Path moved = quarantineDir.resolve(change.path().replace('/', '_') + "." + System.currentTimeMillis());
        Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(moved, PosixFilePermissions.fromString("r--------"));
        return "moved to " + moved + " (read-only, 0400)";
    }

    /** Puts back the baseline's mode (and owner, which only root can) of a file whose content is intact. */
    private static String restoreAttributes(FileChange change, Path file) throws IOException {
        FileAttributes baseline = change.before().orElseThrow();
        List<String> done = new java.util.ArrayList<>();
        if (change.changedAttributes().contains("mode")) {
            Files.setPosixFilePermissions(file, permissions(baseline.mode()));
            done.add("restored mode " + baseline.mode() + " (was " + change.after().map(FileAttributes::mode).orElse("?")
                    + ")");
        }
        if (change.changedAttributes().contains("owner")) {
            try {
                Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(baseline.owner()));
                done.add("restored owner " + baseline.owner());
            } catch (IOException | UnsupportedOperationException e) {
                done.add("owner left as it is (" + e.getMessage() + ")");
            }
        }
        return done.isEmpty() ? "reported (content intact; only the modification time changed)"
                : String.join(", ", done) + "; content intact, nothing moved";
    }

    /** {@code 0755} as permission bits. */
    static Set<PosixFilePermission> permissions(String octal) {
        int bits = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(order[i]);
            }
        }
        return permissions;
    }
}
