package io.palisade.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Takes events from data-plane threads without blocking them and hands them, in batches, to a
 * writer on its own thread (one store transaction per batch instead of one fsync per event).
 *
 * <p>The queue is bounded: when an attacker makes events faster than the store can take them, new
 * events are counted and dropped instead of exhausting memory or stalling every device's I/O
 * thread. The drop count is logged and exposed so that the loss is visible.
 */
public final class AsyncEventSink implements EventSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AsyncEventSink.class.getName());
    public static final int DEFAULT_CAPACITY = 100_000;
    /** Events handed to the writer at once at most (the audit chain's verifier counts on it). */
    public static final int MAX_BATCH = 1_000;

    private final BlockingQueue<SecurityEvent> queue;
    private final Consumer<List<SecurityEvent>> writer;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean running = true;

    public AsyncEventSink(Consumer<List<SecurityEvent>> writer, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = writer;
        this.thread = new Thread(this::drainLoop, "palisade-event-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void emit(SecurityEvent event) {
        if (queue.offer(event)) {
            accepted.incrementAndGet();
        } else {
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                LOG.log(System.Logger.Level.WARNING, "event queue full: " + count
                        + " security events dropped so far (the store cannot keep up)");
            }
        }
    }

    public long droppedCount() {
        return dropped.get();
    }

    /** Blocks until every event emitted before this call has been handed to the writer. */
    public void flush() throws InterruptedException {
        long target = accepted.get();
        while (handled.get() < target && thread.isAlive()) {
            Thread.sleep(2);
        }
    }

    private void drainLoop() {
        List<SecurityEvent> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                SecurityEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } finally {
                handled.addAndGet(batch.size());
                batch.clear();
            }
        }
    }

    private void write(List<SecurityEvent> batch) {
        try {
            writer.accept(List.copyOf(batch));
        } catch (RuntimeException e) {
            // The store is failing (disk full, database gone): say so loudly, keep serving devices.
            LOG.log(System.Logger.Level.ERROR, "could not store " + batch.size() + " security events", e);
        }
    }

    /** Stops after writing what is queued. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
