package io.palisade.agent;

import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The device's lock (a tamper response): a marker file, so a restart stays locked, and the operator's
 * commands that stop and start the application ({@code systemctl stop app}, run with {@code /bin/sh -c}).
 */
public final class AgentLock {

    private static final System.Logger LOG = System.getLogger(AgentLock.class.getName());
    private static final java.time.Duration COMMAND_TIME = java.time.Duration.ofSeconds(60);

    private final Path marker;
    private final String stopCommand;
    private final String startCommand;

    /** @param stopCommand and {@code startCommand}: shell commands, or empty for none */
    public AgentLock(Path marker, String stopCommand, String startCommand) {
        this.marker = marker;
        this.stopCommand = stopCommand;
        this.startCommand = startCommand;
    }

    public boolean locked() {
        return Files.exists(marker);
    }

    /** Locks (again): records why, then stops the application. Answers what was done. */
    public synchronized String lock(String reason) throws IOException {
        AtomicFiles.write(marker, reason.getBytes(StandardCharsets.UTF_8), true);
        return "locked (" + reason + ")" + run(stopCommand, "stop");
    }

    public synchronized String unlock() throws IOException {
        Files.deleteIfExists(marker);
        return "unlocked" + run(startCommand, "start");
    }

    /** At start: a device that was locked when it stopped stops its application again (boot may have started it). */
    public void enforce() throws IOException {
        if (locked()) {
            LOG.log(System.Logger.Level.WARNING, "the device is locked (" + Files.readString(marker).strip()
                    + "); keeping the application stopped until the control plane unlocks it");
            run(stopCommand, "stop");
        }
    }

    private static String run(String command, String what) throws IOException {
        if (command.isBlank()) {
            return "; no application " + what + " command configured";
        }
        int exit = ShellCommand.run(command, COMMAND_TIME);
        if (exit != 0) {
            throw new IOException("the application " + what + " command exited with " + exit + ": " + command);
        }
        return "; application " + what + " command ran";
    }
}
