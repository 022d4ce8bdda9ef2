package io.palisade.bench;

import java.util.concurrent.Callable;

/** Runs an operation repeatedly for a fixed time after a warm-up, and reports operations per second. */
final class Measure {

    private Measure() {
    }

    static double opsPerSecond(double warmupSeconds, double seconds, Callable<?> operation) throws Exception {
        run(warmupSeconds, operation);
        return run(seconds, operation);
    }

    private static double run(double seconds, Callable<?> operation) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() < deadline) {
            operation.call();
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
