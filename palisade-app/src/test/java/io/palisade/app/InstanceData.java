package io.palisade.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/** What a second instance copies of the first one's data directory, as the README tells operators to. */
final class InstanceData {

    /** Each instance's own: its lock, local socket, event spool, SQLite file and what its detection learned. */
    private static final Set<String> OWN_TO_EACH_INSTANCE = Set.of("palisade.lock", "api.sock", "events.spool",
            "palisade.db", "detection.checkpoint");

    private InstanceData() {
    }

    /** Copies the keys, certificates and token of {@code from} (a stopped or running instance) to {@code to}. */
    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (relative.getNameCount() > 0 && OWN_TO_EACH_INSTANCE.contains(relative.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
