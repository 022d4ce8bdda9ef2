package io.palisade.app.cli;

import io.palisade.agent.fim.Baseline;
import io.palisade.agent.fim.FileChange;
import io.palisade.agent.fim.FileChangeJson;
import io.palisade.agent.fim.FileResponse;
import io.palisade.agent.fim.FileScanner;
import io.palisade.agent.fim.IntegrityMonitor;
import io.palisade.firmware.image.FirmwareKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade fim ...}: file integrity monitoring of a host's critical files. */
@Command(name = "fim", mixinStandardHelpOptions = true,
        description = "File integrity monitoring: a signed baseline of a tree, checks and real-time watching against it.")
public final class FimCommand extends CommandGroup {

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = "Record ROOT's files (sha256, size, mode, owner, mtime) and sign the record with --key"
                    + " (a P-256 PEM key, e.g. from `palisade firmware keygen`).")
    static final class MakeBaseline implements Runnable {
        @Parameters(paramLabel = "ROOT")
        Path root;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private P-256 key (PEM) that signs.")
        Path key;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Signed baseline to write.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOption output;

        @Override
        public void run() {
            try {
                Path absolute = root.toAbsolutePath().normalize();
                Baseline baseline = new Baseline(absolute.toString(), Instant.now(), FileScanner.scan(absolute));
                Files.write(out, baseline.sign(FirmwareKeys.readPrivate(key).getPrivate()));
                output.print(spec.commandLine().getOut(), "baseline of " + absolute + ": " + baseline.files().size()
                        + " files, signed, written to " + out, JsonOption.object().put("root", absolute.toString())
                        .put("files", baseline.files().size()).put("baseline", out.toString()));
            } catch (IOException | IllegalStateException e) {
                throw new CliFailure("cannot make the baseline: " + e.getMessage());
            }
        }
    }

    /** Options of check and watch: the baseline, its key, the response and where changes are reported. */
    abstract static class Against implements Runnable {
        @Parameters(paramLabel = "BASELINE")
        Path baselineFile;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "Public key (PEM) the baseline must be signed with.")
        Path key;

        @Option(names = "--respond", defaultValue = "report", paramLabel = "ACTION",
                description = "report (default); disable (the application the file belongs to: --stop-command runs,"
                        + " every file under its --app-dir loses its execute bits, a .palisade-disabled marker says why);"
                        + " quarantine (move into --quarantine-dir, 0700, as a read-only copy, 0400); or delete."
                        + " A change of mode or owner only (content intact) puts the baseline's back instead.")
        String respond;

        @Option(names = "--app-dir", paramLabel = "DIR", description = "An application's directory inside the"
                + " baseline's tree, for --respond disable (repeatable; default: the whole tree is one application).")
        List<Path> applications = new java.util.ArrayList<>();

        @Option(names = "--stop-command", paramLabel = "SHELL", description = "Run with /bin/sh -c to stop an"
                + " application being disabled, with its directory in $PALISADE_APP, e.g."
                + " 'systemctl stop \"$(basename $PALISADE_APP)\"'.")
        String stopCommand;

        @Option(names = "--quarantine-dir", defaultValue = "palisade-fim-quarantine", paramLabel = "DIR",
                description = "Where quarantined files go (default: ${DEFAULT-VALUE}).")
        Path quarantineDir;

        @Option(names = "--report", description = "Also record each change as a file.modified event in the running"
                + " instance (admin API, --data/--server).")
        boolean report;

        @Option(names = "--host", paramLabel = "NAME", description = "Name of this host in reported events.")
        String host;

        @Mixin
        ConnectionOptions connection;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** With --json: one object per change (its path, what changed, the response), one per line. */
        @Mixin
        JsonOption output;

        Baseline baseline() {
            try {
                return Baseline.verify(Files.readAllBytes(baselineFile), FirmwareKeys.readPublic(key));
            } catch (IOException e) {
                throw new CliFailure("refusing the baseline " + baselineFile + ": " + e.getMessage());
            }
        }

        void handle(FileChange change, Baseline baseline) {
            String done;
            try {
                done = FileResponse.parse(respond).apply(change, new FileResponse.Target(Path.of(baseline.root()),
                        quarantineDir, applications, stopCommand == null ? List.of()
                        : List.of("/bin/sh", "-c", stopCommand)));
            } catch (IOException | IllegalArgumentException e) {
                done = "reported (response failed: " + e.getMessage() + ")";
            }
            var json = FileChangeJson.toJson(change, done);
            output.line(spec.commandLine().getOut(), json.path("message").asText(), json);
            if (report) {
                json.put("host", host != null ? host : hostName());
                connection.apiClient().post("integrity", json);
            }
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "";
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare the tree with the baseline once; exit 0 when nothing changed, 3 when something did.")
    static final class Check extends Against {
        @Override
        public void run() {
            FileResponse.parse(respond);
            Baseline baseline = baseline();
            List<FileChange> changes;
            try {
                changes = baseline.compare(FileScanner.scan(Path.of(baseline.root())));
            } catch (IOException e) {
                throw new CliFailure("cannot scan " + baseline.root() + ": " + e.getMessage());
            }
            changes.forEach(change -> handle(change, baseline));
            if (changes.isEmpty()) {
                output.print(spec.commandLine().getOut(), "no changes in " + baseline.root() + " ("
                        + baseline.files().size() + " files)", JsonOption.object().put("root", baseline.root())
                        .put("files", baseline.files().size()).put("changes", 0));
            } else {
                throw new CliFailure(changes.size() + " files differ from the baseline", 3);
            }
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Watch the tree in real time (and by full scans every --interval) until Ctrl-C.")
    static final class Watch extends Against {
        @Option(names = "--interval", defaultValue = "1h", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "Full scan period (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Override
        public void run() {
            FileResponse.parse(respond);
            Baseline baseline = baseline();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            try (IntegrityMonitor monitor = new IntegrityMonitor(Path.of(baseline.root()), baseline, interval,
                    change -> handle(change, baseline))) {
                output.line(spec.commandLine().getOut(), "watching " + baseline.root() + " (" + baseline.files().size()
                        + " files); Ctrl-C stops", JsonOption.object().put("watching", baseline.root())
                        .put("files", baseline.files().size()));
                stopped.await();
            } catch (IOException e) {
                throw new CliFailure("cannot watch " + baseline.root() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
