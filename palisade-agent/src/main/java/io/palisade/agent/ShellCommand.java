package io.palisade.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An operator's shell command ({@code --app-stop}, {@code --health-check}): run with {@code /bin/sh -c}, its output
 * discarded, killed when it outlives its time.
 */
final class ShellCommand {

    private ShellCommand() {
    }

    /** The command's exit code; an exception when it could not start or ran out of time. */
    static int run(String command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + command + "' did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running '" + command + "'");
        }
        return process.exitValue();
    }
}
