package io.palisade.app.cli;

import io.palisade.control.DataDirectory;
import io.palisade.firmware.tuf.TufException;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code palisade repo ...}: the firmware update repository (TUF 1.0). Works on files; a running
 * instance serves the same directory at {@code https://HOST:8443/tuf/metadata/} and {@code /tuf/targets/}.
 */
@Command(name = "repo", mixinStandardHelpOptions = true,
        description = "Manage the signed firmware update repository (TUF) that devices update from.",
        subcommands = {RepoCommand.Init.class, RepoCommand.AddTarget.class, RepoCommand.Publish.class,
                RepoCommand.RotateKey.class, RepoCommand.Delegate.class})
public final class RepoCommand extends CommandGroup {

    abstract static class RepoBase implements Runnable {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:PALISADE_DATA:-palisade-data}",
                description = "Data directory; the repository is DIR/tuf (default: $PALISADE_DATA, else palisade-data; now ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--repo", paramLabel = "DIR", description = "Repository directory (overrides --data).")
        Path repo;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOption output;

        TufRepositoryWriter writer() {
            return new TufRepositoryWriter(repo != null ? repo : new DataDirectory(data).tufRepository(),
                    Clock.systemUTC());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public void run() {
            try {
                execute();
                out().flush();
            } catch (IOException | TufException e) {
                throw new CliFailure(e.getMessage());
            }
        }

        abstract void execute() throws IOException, TufException;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create role keys (0600) and root version 1; devices pin metadata/1.root.json.")
    static final class Init extends RepoBase {
        @Override
        void execute() throws IOException, TufException {
            TufRepositoryWriter writer = writer();
            writer.init();
            Path root = writer.metadataDir().resolve("1.root.json");
            output.print(out(), "repository created; devices trust " + root,
                    JsonOption.object().put("created", true).put("trusted_root", root.toString()));
        }
    }

    @Command(name = "add-target", mixinStandardHelpOptions = true,
            description = "Add a file as a target (published by the next `repo publish`).")
    static final class AddTarget extends RepoBase {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "PATH", description = "Target path, e.g."
                + " firmware/sensor-1.0.0.img.")
        String name;

        @Override
        void execute() throws IOException, TufException {
            if (!Files.isRegularFile(file)) {
                throw new CliFailure("no file at " + file);
            }
            writer().addTarget(file, name);
            output.print(out(), "added target " + name + "; run `palisade repo publish` to sign it",
                    JsonOption.object().put("target", name).put("published", false));
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Sign new targets, snapshot and timestamp metadata for everything under targets/.")
    static final class Publish extends RepoBase {
        @Override
        void execute() throws IOException, TufException {
            long version = writer().publish();
            output.print(out(), "published targets version " + version,
                    JsonOption.object().put("targets_version", version));
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Replace a role's key (root, timestamp, snapshot, targets) with a new root version.")
    static final class RotateKey extends RepoBase {
        @Parameters(paramLabel = "ROLE")
        String role;

        @Override
        void execute() throws IOException, TufException {
            long rootVersion = writer().rotateKey(role);
            output.print(out(), "rotated the " + role + " key; root is now version " + rootVersion,
                    JsonOption.object().put("role", role).put("root_version", rootVersion));
        }
    }

    @Command(name = "delegate", mixinStandardHelpOptions = true,
            description = "Delegate the targets matching --path to a new role NAME with its own key"
                    + " (keys/delegated/NAME.pem), e.g. for a vendor that signs its own images.")
    static final class Delegate extends RepoBase {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--path", required = true, paramLabel = "PATTERN",
                description = "TUF path pattern the role signs for, e.g. 'firmware/vendor-a/*' (repeatable; * stays"
                        + " within one path segment).")
        java.util.List<String> paths;

        @Option(names = "--terminating", description = "Clients look no further for paths this role covers.")
        boolean terminating;

        @Override
        void execute() throws IOException, TufException {
            writer().delegate(name, paths, terminating);
            var node = JsonOption.object().put("role", name).put("terminating", terminating).put("published", false);
            paths.forEach(node.putArray("paths")::add);
            output.print(out(), "delegated " + String.join(", ", paths) + " to role " + name
                    + "; run `palisade repo publish` to sign it", node);
        }
    }
}
