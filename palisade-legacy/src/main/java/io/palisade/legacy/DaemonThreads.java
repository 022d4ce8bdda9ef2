package io.palisade.legacy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The legacy listeners' helper threads: named (for thread dumps at 3 a.m.) and daemon (they never hold the JVM up). */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A pool of {@code threads} named {@code name}. */
    public static ExecutorService pool(String name, int threads) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
