package io.palisade.app;

import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the update repository's timestamp metadata fresh while Palisade runs: every hour, re-signs it
 * when it would expire within two days. Without this, devices would refuse every update a week after
 * the last {@code palisade repo publish} (the freeze protection working against the operator).
 */
final class TimestampRefresher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TimestampRefresher.class.getName());
    static final Duration MARGIN = Duration.ofDays(2);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "palisade-tuf-timestamp");
        thread.setDaemon(true);
        return thread;
    });

    /** @param passphrase the data directory's key passphrase, which unlocks the timestamp key */
    TimestampRefresher(Path repository, io.palisade.core.secret.SecretBytes passphrase, Clock clock) {
        TufRepositoryWriter writer = TufRepositoryWriter.withKeysInside(repository, clock, passphrase);
        scheduler.scheduleWithFixedDelay(() -> {
            if (!Files.exists(repository.resolve("metadata/timestamp.json"))) {
                return;
            }
            try {
                if (writer.refreshTimestamp(MARGIN)) {
                    LOG.log(System.Logger.Level.INFO, "re-signed the update repository's timestamp metadata");
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "cannot re-sign the update repository's timestamp: "
                        + e.getMessage() + "; devices stop updating when it expires");
            }
        }, 0, 1, TimeUnit.HOURS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
