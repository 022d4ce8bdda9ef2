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
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            int symbol = payload.get(start + i) & 0xff;
            int count = counts[symbol];
            if (count > 0) {
                double p = (double) count / n;
                entropy -= p * Math.log(p) / LOG2;
                counts[symbol] = 0; // each symbol counted once, and the histogram is clean for the next call
            }
        }
        return entropy;
    }
}
