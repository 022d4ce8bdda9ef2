package io.palisade.agent.tamper;

import io.palisade.core.tamper.TamperSensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * GPIO tamper lines (a case switch, a tamper mesh): each edge into the active level is a signal. The
 * events come from Debian's {@code gpiomon} watching the chip's lines through the kernel's GPIO character
 * device ({@link #watch}), or, where there is no GPIO chip (this project's CI machines have neither a chip
 * nor the {@code gpio-sim} module), from a FIFO carrying the same lines ({@link #simulated}): the same
 * parser and rule behind the same interface, fed by a test or a simulator instead of the kernel. Either libgpiod's
 * gpiomon works: 1.x (Debian 12) or 2.x (the v2 character device interface, with debounce).
 */
public final class GpioLines implements TamperSource {

    private static final System.Logger LOG = System.getLogger(GpioLines.class.getName());

    private final String chip;
    private final boolean activeHigh;
    private final List<String> command;
    private final Path fifo;
    private Process process;
    private InputStream input;
    private volatile boolean running;

    private GpioLines(String chip, boolean activeHigh, List<String> command, Path fifo) {
        this.chip = chip;
        this.activeHigh = activeHigh;
        this.command = command;
        this.fifo = fifo;
    }

    /**
     * {@code gpiomon} on {@code chip} ("gpiochip0") for {@code offsets}; {@code activeHigh}: a rising edge is tamper.
     * With libgpiod 2 the lines are requested through the character device's v2 interface with a 10 ms debounce
     * (a mechanical case switch bounces); libgpiod 1 has no debounce, so bounces are held back by the reporter's
     * one-report-per-second rule instead.
     */
    public static GpioLines watch(String chip, List<Integer> offsets, boolean activeHigh) {
        return new GpioLines(chip, activeHigh, gpiomon(libgpiodMajor(), chip, offsets, activeHigh), null);
    }

    /** The gpiomon command line of libgpiod {@code major} (1 or 2). */
    static List<String> gpiomon(int major, String chip, List<Integer> offsets, boolean activeHigh) {
        List<String> command = major >= 2
                ? new ArrayList<>(List.of("gpiomon", "--chip", chip, "--edges", activeHigh ? "rising" : "falling",
                        "--debounce-period", "10ms", "--format=" + GpioLineEvent.GPIOMON_V2_FORMAT))
                : new ArrayList<>(List.of("gpiomon", "--line-buffered", "--format=" + GpioLineEvent.GPIOMON_V1_FORMAT,
                        activeHigh ? "--rising-edge" : "--falling-edge", chip));
        offsets.forEach(offset -> command.add(Integer.toString(offset)));
        return command;
    }

    /** 2 for libgpiod 2.x tools, 1 otherwise (also when gpiomon is missing: starting it then says so). */
    private static int libgpiodMajor() {
        try {
            Process version = new ProcessBuilder("gpiomon", "--version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            version.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.regex.Matcher major = java.util.regex.Pattern.compile("v(\\d+)\\.").matcher(text);
            return major.find() ? Integer.parseInt(major.group(1)) : 1;
        } catch (IOException e) {
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The simulated chip {@code chip}: lines in gpiomon's format written to {@code fifo}. */
    public static GpioLines simulated(String chip, Path fifo, boolean activeHigh) {
        return new GpioLines(chip, activeHigh, List.of(), fifo);
    }

    @Override
    public void start(Consumer<TamperSignal> signals) throws IOException {
        if (fifo != null) {
            // Read-write, so opening does not wait for a writer and a writer leaving is not end-of-file.
            input = java.nio.channels.Channels.newInputStream(java.nio.channels.FileChannel.open(fifo,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE));
        } else {
            try {
                process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new IOException("cannot run gpiomon (Debian package gpiod): " + e.getMessage(), e);
            }
            input = process.getInputStream();
        }
        running = true;
        Thread reader = new Thread(() -> read(signals), "palisade-agent-gpio");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<TamperSignal> signals) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.US_ASCII))) {
            String line;
            while (running && (line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    GpioLineEvent event = GpioLineEvent.parse(line);
                    if (event.rising() == activeHigh) {
                        signals.accept(new TamperSignal(TamperSensor.GPIO, chip + ":" + event.offset(),
                                "line " + event.offset() + " went " + (event.rising() ? "high" : "low")
                                        + " at " + event.seconds() + "." + String.format("%09d", event.nanoseconds())));
                    }
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignored a GPIO event line: " + e.getMessage());
                }
            }
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "GPIO events of " + chip + " ended"
                        + (process != null ? " (gpiomon exited)" : ""));
            }
        } catch (IOException e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "stopped reading GPIO events of " + chip + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String describe() {
        return fifo != null ? "simulated GPIO chip " + chip + " fed from " + fifo
                : "GPIO " + String.join(" ", command);
    }

    @Override
    public void close() {
        running = false;
        if (process != null) {
            process.destroy();
        }
        if (input != null) {
            try {
                input.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing GPIO events: " + e.getMessage());
            }
        }
    }
}
