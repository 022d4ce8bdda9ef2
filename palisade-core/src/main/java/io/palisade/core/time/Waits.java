package io.palisade.core.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Pauses of worker threads that their owner can cut short. */
public final class Waits {

    private Waits() {
    }

    /**
     * Waits on {@code monitor} (the caller holds it) for {@code duration}, or until {@code running} turns false and
     * the monitor is notified; returns whether to go on. A monitor wait rather than an interrupt, because interrupting
     * a thread inside {@link java.nio.channels.FileChannel} I/O closes the channel. A notify for another reason
     * just resumes the wait for the time left.
     */
    public static boolean pause(Object monitor, Duration duration, BooleanSupplier running) {
        long until = System.nanoTime() + duration.toNanos();
        try {
            for (long left = duration.toNanos(); running.getAsBoolean() && left > 0; left = until - System.nanoTime()) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running.getAsBoolean();
    }
}
