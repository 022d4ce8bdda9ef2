package io.palisade.detect;

import java.nio.ByteBuffer;

/**
 * Shannon entropy of a payload in bits per byte, over at most its first {@link #SAMPLE_BYTES} bytes.
 * Telemetry (JSON, CBOR of readings) sits around 3–5 bits; compressed or encrypted data near the
 * maximum, which is what exfiltration and command-and-control traffic tend to look like. Runs on I/O
 * threads per message, so it reads a bounded prefix and reuses a per-thread histogram.
 */
final class PayloadEntropy {

    static final int SAMPLE_BYTES = 256;
    private static final double LOG2 = Math.log(2);
    private static final ThreadLocal<int[]> COUNTS = ThreadLocal.withInitial(() -> new int[256]);
    /** c·log2(c) for every count a sample can hold: no logarithm per symbol on the I/O thread. */
    private static final double[] C_LOG_C = new double[SAMPLE_BYTES + 1];
    private static final double[] LOG_N = new double[SAMPLE_BYTES + 1];

    static {
        for (int c = 1; c <= SAMPLE_BYTES; c++) {
            C_LOG_C[c] = c * Math.log(c) / LOG2;
            LOG_N[c] = Math.log(c) / LOG2;
        }
    }

    private PayloadEntropy() {
    }

    /** Bits per byte of the first bytes of {@code payload} (position and limit are left unchanged). */
    static double bitsPerByte(ByteBuffer payload) {
        int n = Math.min(payload.remaining(), SAMPLE_BYTES);
        if (n <= 1) {
            return 0;
        }
        int[] counts = COUNTS.get();
        int start = payload.position();
        for (int i = 0; i < n; i++) {
            counts[payload.get(start + i) & 0xff]++;
        }
        // H = log2(n) - (sum over symbols of c*log2(c)) / n
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int symbol = payload.get(start + i) & 0xff;
            int count = counts[symbol];
            if (count > 0) {
                sum += C_LOG_C[count];
                counts[symbol] = 0; // each symbol counted once, and the histogram is clean for the next call
            }
        }
        return Math.max(0, LOG_N[n] - sum / n);
    }
}
