package io.palisade.agent.tamper;

import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The device's tamper report counter, on disk: each number is written (synced, atomically) before a report
 * carries it, so no number is ever used twice, even across a crash. A lost file would restart at 1 and the
 * control plane would refuse every report as a replay: loud, and fixed by re-enrolling.
 */
public final class TamperCounter {

    private final Path file;

    public TamperCounter(Path file) {
        this.file = file;
    }

    public synchronized long next() throws IOException {
        long next = current() + 1;
        AtomicFiles.write(file, Long.toString(next).getBytes(StandardCharsets.US_ASCII), true);
        return next;
    }

    public synchronized long current() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException("the tamper counter file " + file + " is damaged ('" + text
                    + "'); restore it or re-enroll the device");
        }
    }
}
