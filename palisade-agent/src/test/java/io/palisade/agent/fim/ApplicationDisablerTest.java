package io.palisade.agent.fim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationDisablerTest {

    @TempDir
    Path root;

    private Path file(String path, String mode) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho " + path + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static FileChange modified(String path) {
        return new FileChange(FileChange.Kind.MODIFIED, path, Optional.empty(), Optional.empty(), List.of("sha256"));
    }

    @Test
    void a_tampered_file_disables_its_application_and_leaves_the_others_running() throws Exception {
        Path run = file("apps/meter/bin/run", "rwxr-xr-x");
        Path plugin = file("apps/meter/lib/plugin.so", "rwxr-x---");
        Path config = file("apps/meter/etc/config", "rw-r--r--");
        Path other = file("apps/logger/bin/run", "rwxr-xr-x");
        Path stopped = root.resolve("stopped.txt");
        FileResponse.Target target = new FileResponse.Target(root, root.resolve("q"),
                List.of(root.resolve("apps/meter"), root.resolve("apps/logger")),
                List.of("/bin/sh", "-c", "echo \"$PALISADE_APP\" > " + stopped));

        String done = FileResponse.DISABLE.apply(modified("apps/meter/bin/run"), target);

        assertThat(done).contains("application " + root.resolve("apps/meter") + " disabled")
                .contains("stop command exited 0").contains("2 files made non-executable");
        assertThat(Files.readString(stopped).trim()).isEqualTo(root.resolve("apps/meter").toString());
        assertThat(Files.isExecutable(run)).isFalse();
        assertThat(Files.isExecutable(plugin)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-r--r--");
        assertThat(Files.isExecutable(other)).as("another application").isTrue();
        Path marker = root.resolve("apps/meter").resolve(ApplicationDisabler.MARKER);
        assertThat(Files.readString(marker)).contains("modified apps/meter/bin/run");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(marker))).isEqualTo("rw-------");

        assertThat(FileResponse.DISABLE.apply(modified("apps/meter/etc/config"), target))
                .as("once disabled, later changes are only reported").contains("already disabled");
    }

    @Test
    void without_application_directories_the_whole_tree_is_the_application() throws Exception {
        Path tool = file("bin/tool", "rwxr-xr-x");
        String done = FileResponse.DISABLE.apply(modified("bin/tool"), new FileResponse.Target(root, root.resolve("q"),
                List.of(), List.of()));
        assertThat(done).contains("application " + root + " disabled").doesNotContain("stop command");
        assertThat(Files.isExecutable(tool)).isFalse();
    }

    @Test
    void a_change_outside_the_tree_is_only_reported() throws Exception {
        assertThat(FileResponse.DISABLE.apply(modified("../etc/passwd"), new FileResponse.Target(root,
                root.resolve("q"), List.of(), List.of()))).isEqualTo("reported");
    }
}
