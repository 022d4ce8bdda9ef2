package io.palisade.detect;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the learned model scores its samples: one thread of its own with a bounded queue, so that when scoring
 * falls behind samples are skipped (and counted), never queued without end and never scored on the gateway
 * thread that observed the packet; or an executor given by a simulation (a direct one keeps its virtual time
 * consistent).
 */
final class ModelScoringQueue implements AutoCloseable {

    static final int CAPACITY = 10_000;

    private final Executor executor;
    private final ExecutorService own;
    private final AtomicLong skipped = new AtomicLong();

    /** @param given the executor to score on, or {@code null} for a thread of this queue's own */
    ModelScoringQueue(Executor given) {
        if (given == null) {
            this.own = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(CAPACITY), r -> {
                Thread thread = new Thread(r, "palisade-detect-model");
                thread.setDaemon(true);
                return thread;
            }, (task, pool) -> skipped.incrementAndGet());
            this.executor = own;
        } else {
            this.own = null;
            this.executor = given;
        }
    }

    void submit(Runnable scoring) {
        executor.execute(scoring);
    }

    /** Samples dropped because scoring fell behind (the queue was full). */
    long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        if (own != null) {
            own.shutdownNow();
        }
    }
}
