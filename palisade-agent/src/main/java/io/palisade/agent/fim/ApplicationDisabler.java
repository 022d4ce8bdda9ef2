package io.palisade.agent.fim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Disables an application whose files were tampered with: runs the operator's stop command (e.g.
 * {@code systemctl stop meter-app}), removes the execute bits of every regular file under the
 * application's directory (the kernel refuses to execute a file without any, even for root) and
 * leaves a marker file saying why. Files stay where they are for examination; re-enabling is an
 * operator's job (restore the modes from the baseline or reinstall).
 */
public final class ApplicationDisabler {

    /** The marker left in a disabled application's directory. */
    public static final String MARKER = ".palisade-disabled";
    static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final Set<PosixFilePermission> EXECUTE = EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private ApplicationDisabler() {
    }

    /**
     * @param command the stop command and its arguments (empty: none); it runs with the application's
     *                directory in {@code PALISADE_APP} and is killed after 30 s
     * @return what was done, for the event
     */
    public static String disable(Path application, String reason, List<String> command) throws IOException {
        List<String> done = new ArrayList<>();
        if (!command.isEmpty()) {
            done.add(runStopCommand(application, command));
        }
        int[] changed = {0};
        Files.walkFileTree(application, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) { // symbolic links are not followed: their targets lie elsewhere
                    Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                    if (permissions.removeAll(EXECUTE)) {
                        Files.setPosixFilePermissions(file, permissions);
                        changed[0]++;
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Path marker = application.resolve(MARKER);
        Files.writeString(marker, "disabled by palisade: " + reason + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rw-------"));
        done.add(changed[0] + " files made non-executable");
        return "application " + application + " disabled (" + String.join(", ", done) + ")";
    }

    private static String runStopCommand(Path application, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PALISADE_APP", application.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "stop command killed after " + COMMAND_TIMEOUT_SECONDS + " s";
            }
            return "stop command exited " + process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return "stop command interrupted";
        }
    }
}
