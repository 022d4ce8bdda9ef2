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
 * {@link ApplicationDisabler}); move it into a quarantine directory (mode 0700) with its execute bits
 * removed so it can be examined but not run; or delete it.
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
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(moved));
        permissions.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE));
        Files.setPosixFilePermissions(moved, permissions);
        return "moved to " + moved + " without execute bits";
    }
}
