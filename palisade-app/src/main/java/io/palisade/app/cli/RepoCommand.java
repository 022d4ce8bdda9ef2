package io.palisade.app.cli;

import io.palisade.control.DataDirectory;
import io.palisade.core.secret.SecretBytes;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.tuf.repo.TufKeyring;
import io.palisade.pki.KeyPassphrase;
import io.palisade.pki.ca.CaDirectory;
import io.palisade.firmware.tuf.TufException;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code palisade repo ...}: the firmware update repository (TUF 1.0). Works on files; a running
 * instance serves the same directory at {@code https://HOST:8443/tuf/metadata/} and {@code /tuf/targets/}.
 */
@Command(name = "repo", mixinStandardHelpOptions = true,
        description = "Manage the signed firmware update repository (TUF) that devices update from.")
public final class RepoCommand extends CommandGroup {

    /** Passphrase of an external root key ({@code --root-key FILE}). */
    static final String ROOT_PASSPHRASE_ENV = "PALISADE_ROOT_KEY_PASSPHRASE";
    /** Passphrase of the role keys of a repository outside a data directory ({@code --repo DIR}). */
    static final String REPO_PASSPHRASE_ENV = "PALISADE_REPO_PASSPHRASE";

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

        /** The repository, its role keys unlocked with the data directory's key passphrase. */
        TufRepositoryWriter writer() throws IOException {
            return writer(Optional.empty());
        }

        /**
         * With {@code rootKey}, the root key is in that file (outside the repository, encrypted with its own
         * passphrase from {@value #ROOT_PASSPHRASE_ENV} or asked on the terminal) rather than in {@code keys/}.
         */
        TufRepositoryWriter writer(Optional<Path> rootKey) throws IOException {
            Path directory = repo != null ? repo : new DataDirectory(data).tufRepository();
            SecretBytes passphrase = repo != null ? standalonePassphrase(directory) : CaDirectory.keyPassphrase(data);
            return new TufRepositoryWriter(directory, Clock.systemUTC(), new TufKeyring(directory.resolve("keys"),
                    passphrase, rootKey.map(file -> new TufKeyring.ExternalRootKey(file, () -> rootPassphrase(file)))));
        }

        /** A repository outside a data directory keeps its passphrase in keys/passphrase unless the variable is set. */
        private static SecretBytes standalonePassphrase(Path directory) throws IOException {
            Path keys = directory.resolve("keys");
            return KeyPassphrase.resolve(Optional.ofNullable(System.getenv(REPO_PASSPHRASE_ENV)), REPO_PASSPHRASE_ENV,
                    keys.resolve("passphrase"), encryptedKeysIn(keys));
        }

        private static boolean encryptedKeysIn(Path keys) throws IOException {
            if (!Files.isDirectory(keys)) {
                return false;
            }
            try (var files = Files.walk(keys)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".pem")
                        && !f.toString().endsWith(".pub.pem"))::iterator) {
                    if (FirmwareKeys.isEncrypted(file)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static SecretBytes rootPassphrase(Path file) {
            String fromEnv = System.getenv(ROOT_PASSPHRASE_ENV);
            if (fromEnv != null && !fromEnv.isEmpty()) {
                return SecretBytes.wrap(fromEnv.getBytes(StandardCharsets.UTF_8));
            }
            java.io.Console console = System.console();
            if (console == null) {
                throw new CliFailure("the root key " + file + " needs its passphrase: set " + ROOT_PASSPHRASE_ENV
                        + " or run on a terminal");
            }
            char[] typed = console.readPassword("passphrase of the root key %s: ", file);
            if (typed == null || typed.length == 0) {
                throw new CliFailure("no passphrase given for the root key " + file);
            }
            try {
                return SecretBytes.fromChars(typed);
            } finally {
                java.util.Arrays.fill(typed, '\0');
            }
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
            description = {"Create role keys (encrypted, 0600) and root version 1; devices pin metadata/1.root.json.",
                    "Role keys are encrypted with the data directory's key passphrase ($PALISADE_CA_PASSPHRASE, else"
                            + " DATA/ca/passphrase; for --repo: $PALISADE_REPO_PASSPHRASE, else DIR/keys/passphrase).",
                    "With --root-key the root key is written to FILE only (encrypted with $PALISADE_ROOT_KEY_PASSPHRASE"
                            + " or a passphrase typed at the terminal): keep it offline; `repo rotate-key` asks for it."})
    static final class Init extends RepoBase {
        @Option(names = "--root-key", paramLabel = "FILE",
                description = "Write the root key to FILE, outside the repository, instead of keys/root.pem.")
        Path rootKey;

        @Override
        void execute() throws IOException, TufException {
            TufRepositoryWriter writer = writer(Optional.ofNullable(rootKey));
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

        @Option(names = "--root-key", paramLabel = "FILE",
                description = "The root key file given to `repo init --root-key` (its passphrase from"
                        + " $PALISADE_ROOT_KEY_PASSPHRASE or the terminal); a new root key is written there too.")
        Path rootKey;

        @Override
        void execute() throws IOException, TufException {
            long rootVersion = writer(Optional.ofNullable(rootKey)).rotateKey(role);
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
