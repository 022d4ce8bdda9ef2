package io.palisade.pki.tpm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs tpm2-tools (Debian package tpm2-tools) against one TPM, one command at a time: the TPM is a single device,
 * and without a resource manager (swtpm, {@code /dev/tpm0}) transient objects must be flushed after each step,
 * which only works if no other step runs in between. Files a command needs or makes live in a private temporary
 * directory that is deleted afterwards.
 */
public final class Tpm2Tools {

    private static final long SECONDS = 30;

    private final String tcti;

    /** @param tcti where the TPM is: {@code device:/dev/tpmrm0}, {@code swtpm:host=127.0.0.1,port=2321} */
    public Tpm2Tools(String tcti) {
        if (!tcti.matches("[A-Za-z0-9_-]+(:[A-Za-z0-9_/.,=:-]*)?")) {
            throw new IllegalArgumentException("'" + tcti + "' is not a TPM2 TCTI (device:/dev/tpmrm0, swtpm:port=2321)");
        }
        this.tcti = tcti;
    }

    public String tcti() {
        return tcti;
    }

    /** A step: a scratch directory to pass files through, and the commands to run in it. */
    @FunctionalInterface
    public interface Step<T> {
        T run(Path scratch, Tpm2Tools tools) throws IOException;
    }

    /** Runs {@code step} alone on the TPM, with a fresh scratch directory, flushing transient objects afterwards. */
    public synchronized <T> T exclusive(Step<T> step) throws IOException {
        Path scratch = Files.createTempDirectory("palisade-tpm");
        try {
            return step.run(scratch, this);
        } finally {
            try {
                command(scratch, "tpm2_flushcontext", "--transient-object");
            } catch (IOException flushFailed) {
                // Nothing was loaded, or the TPM is gone: the step's own outcome says what matters.
            }
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * As {@link #command}, then flushes the transient objects the command left loaded: without a resource manager a
     * saved context is loaded again by every command that names it, and the TPM runs out of object slots after two.
     */
    public String step(Path scratch, String... arguments) throws IOException {
        String out = command(scratch, arguments);
        command(scratch, "tpm2_flushcontext", "--transient-object");
        return out;
    }

    /** One tpm2-tools command in {@code scratch}; its standard output, or an exception carrying its error output. */
    public String command(Path scratch, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
        builder.environment().put("TPM2TOOLS_TCTI", tcti);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + arguments[0] + " (Debian package tpm2-tools): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(arguments[0] + " did not finish within " + SECONDS + " s (is the TPM at " + tcti
                        + " answering?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the TPM worked");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(arguments[0] + " failed on " + tcti + ": " + (err.isEmpty() ? "exit "
                    + process.exitValue() : String.join("; ", err.lines().filter(l -> !l.isBlank()).toList())));
        }
        return out;
    }
}
