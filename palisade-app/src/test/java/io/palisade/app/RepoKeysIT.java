package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update repository's keys as an operator handles them, through the real command line (a separate
 * process, so that the passphrase variables are what the command sees): role keys encrypted at rest, the
 * root key in a file outside the data directory that only init and rotate-key need, checked with openssl.
 */
class RepoKeysIT {

    @TempDir
    Path dir;

    record Run(int exitCode, String output) {
    }

    private Run palisade(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PALISADE_CA_PASSPHRASE");
        builder.environment().remove("PALISADE_ROOT_KEY_PASSPHRASE");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close(); // no terminal: a passphrase cannot be typed
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void the_root_key_lives_outside_the_data_directory_and_only_root_operations_ask_for_it() throws Exception {
        Path data = dir.resolve("data");
        Path rootKey = dir.resolve("offline/root.pem");
        Map<String, String> withRoot = Map.of("PALISADE_ROOT_KEY_PASSPHRASE", "correct horse battery staple");

        Run noPassphrase = palisade(Map.of(), "repo", "init", "--data", data.toString(), "--root-key", rootKey.toString());
        assertThat(noPassphrase.exitCode()).isEqualTo(1);
        assertThat(noPassphrase.output()).contains("set PALISADE_ROOT_KEY_PASSPHRASE or run on a terminal");

        Run init = palisade(withRoot, "repo", "init", "--data", data.toString(), "--root-key", rootKey.toString());
        assertThat(init.exitCode()).as(init.output()).isZero();
        assertThat(data.resolve("tuf/keys/root.pem")).doesNotExist();
        assertThat(openssl("pkey", "-in", rootKey.toString(), "-passin", "pass:correct horse battery staple", "-noout"))
                .as("openssl opens the root key with its passphrase").isZero();
        String caPassphrase = Files.readString(data.resolve("ca/passphrase")).strip();
        for (String role : List.of("targets", "snapshot", "timestamp")) {
            Path key = data.resolve("tuf/keys/" + role + ".pem");
            assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            assertThat(openssl("pkey", "-in", key.toString(), "-passin", "pass:" + caPassphrase, "-noout")).as(role).isZero();
        }

        Files.writeString(dir.resolve("app.img"), "image");
        assertThat(palisade(Map.of(), "repo", "add-target", dir.resolve("app.img").toString(), "--name", "firmware/app.img",
                "--data", data.toString()).exitCode()).isZero();
        Run publish = palisade(Map.of(), "repo", "publish", "--data", data.toString());
        assertThat(publish.exitCode()).as("publishing needs no root key: " + publish.output()).isZero();

        Run withoutRootKey = palisade(withRoot, "repo", "rotate-key", "timestamp", "--data", data.toString());
        assertThat(withoutRootKey.exitCode()).isEqualTo(1);
        assertThat(withoutRootKey.output()).contains("give it with --root-key FILE");
        Run rotate = palisade(withRoot, "repo", "rotate-key", "timestamp", "--data", data.toString(),
                "--root-key", rootKey.toString(), "--json");
        assertThat(rotate.exitCode()).as(rotate.output()).isZero();
        assertThat(rotate.output().replaceAll("\\s", "")).contains("\"root_version\":2");

        Run wrongPassphrase = palisade(Map.of("PALISADE_ROOT_KEY_PASSPHRASE", "wrong"), "repo", "rotate-key", "targets",
                "--data", data.toString(), "--root-key", rootKey.toString());
        assertThat(wrongPassphrase.exitCode()).isEqualTo(1);
        assertThat(wrongPassphrase.output()).contains("cannot decrypt " + rootKey);
    }

    private static int openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        return Processes.run(command).exitCode();
    }
}
