package io.palisade.agent.tamper;

import io.palisade.core.tamper.TamperReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the device's tamper sources into one {@link TamperReporter}, retries undelivered reports every five
 * seconds, and hands each report to the device's own local response (lock, zeroise) if it has one, which
 * acts even when the gateway cannot be reached.
 */
public final class TamperMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TamperMonitor.class.getName());

    private final List<TamperSource> sources;
    private final TamperReporter reporter;
    private final Consumer<TamperReport> localResponse;
    private final List<TamperSource> started = new ArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "palisade-agent-tamper-retry");
        thread.setDaemon(true);
        return thread;
    });

    public TamperMonitor(List<TamperSource> sources, TamperReporter reporter, Consumer<TamperReport> localResponse) {
        this.sources = List.copyOf(sources);
        this.reporter = reporter;
        this.localResponse = localResponse;
    }

    /** Starts every source; a source that cannot start stops the start (a tamper sensor silently off is worse). */
    public void start() throws IOException {
        for (TamperSource source : sources) {
            source.start(this::onSignal);
            started.add(source);
            LOG.log(System.Logger.Level.INFO, "watching for tampering: " + source.describe());
        }
        retries.scheduleWithFixedDelay(this::retry, 5, 5, TimeUnit.SECONDS);
    }

    private void onSignal(TamperSignal signal) {
        try {
            TamperReport report = reporter.report(signal);
            if (report != null) {
                localResponse.accept(report);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not record tamper evidence (" + signal + "): " + e.getMessage());
        }
    }

    private void retry() {
        try {
            int left = reporter.flush();
            if (left > 0) {
                LOG.log(System.Logger.Level.WARNING, left + " tamper report(s) not yet delivered; retrying");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retrying tamper reports: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        started.forEach(TamperSource::close);
    }
}
