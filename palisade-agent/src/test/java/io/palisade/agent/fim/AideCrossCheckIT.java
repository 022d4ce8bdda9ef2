package io.palisade.agent.fim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Palisade's integrity check and AIDE (Debian package {@code aide}, which {@code .ci/run} installs)
 * look at the same tree with the same attributes (sha256, size, permissions, owner, mtime) and must
 * report the same files as added, removed and changed.
 */
class AideCrossCheckIT {

    private static final Pattern AIDE_FILE_ENTRY = Pattern.compile("^f[^:]*: (/.+)$");

    @TempDir
    Path dir;

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return output;
    }

    @Test
    void palisade_and_aide_report_the_same_changed_files() throws Exception {
        Path tree = dir.resolve("etc-app");
        Files.createDirectories(tree.resolve("conf.d"));
        for (String name : List.of("a.conf", "b.conf", "conf.d/c.conf", "conf.d/d.conf", "run.sh")) {
            Files.writeString(tree.resolve(name), "content of " + name + "\n");
        }
        Path conf = dir.resolve("aide.conf");
        Files.writeString(conf, String.join("\n",
                "database_in=file:" + dir.resolve("aide.db"),
                "database_out=file:" + dir.resolve("aide.db.new"),
                "gzip_dbout=no",
                "Palisade = sha256+s+p+u+m",
                tree + " Palisade",
                ""));
        run(dir, "aide", "--init", "-c", conf.toString());
        Files.move(dir.resolve("aide.db.new"), dir.resolve("aide.db"));
        Baseline baseline = new Baseline(tree.toString(), Instant.now(), FileScanner.scan(tree));

        Thread.sleep(1100); // mtimes must differ at the 1 s resolution AIDE stores
        Files.writeString(tree.resolve("a.conf"), "tampered\n");
        Files.setPosixFilePermissions(tree.resolve("run.sh"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.delete(tree.resolve("conf.d/c.conf"));
        Files.writeString(tree.resolve("conf.d/backdoor.conf"), "evil\n");

        String report = run(dir, "aide", "--check", "-c", conf.toString());
        Set<String> aide = new TreeSet<>();
        for (String line : report.split("\n")) {
            Matcher matcher = AIDE_FILE_ENTRY.matcher(line.strip());
            if (matcher.matches()) {
                aide.add(tree.relativize(Path.of(matcher.group(1).strip())).toString());
            }
        }
        Set<String> palisade = new TreeSet<>();
        baseline.compare(FileScanner.scan(tree)).forEach(change -> palisade.add(change.path()));

        assertThat(aide).as("AIDE's report:\n" + report)
                .containsExactlyInAnyOrder("a.conf", "run.sh", "conf.d/c.conf", "conf.d/backdoor.conf");
        assertThat(palisade).isEqualTo(aide);
    }
}
