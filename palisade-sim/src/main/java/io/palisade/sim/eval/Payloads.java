package io.palisade.sim.eval;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Payloads shaped like what each kind of device sends: JSON readings (text, 3–5 bits of entropy per
 * byte), packed register values (binary but repetitive), camera thumbnails and encrypted blobs
 * (near 8 bits). Each generator pre-builds a small pool and hands out read-only views, so a
 * simulated day costs no payload allocation.
 */
final class Payloads {

    private static final int POOL = 32;
    private final ByteBuffer[] pool;

    private Payloads(ByteBuffer[] pool) {
        this.pool = pool;
    }

    ByteBuffer next(Random random) {
        return pool[random.nextInt(POOL)].duplicate();
    }

    /** JSON telemetry of about {@code min}..{@code max} bytes. */
    static Payloads json(Random random, int min, int max) {
        ByteBuffer[] pool = new ByteBuffer[POOL];
        for (int i = 0; i < POOL; i++) {
            int size = min + random.nextInt(Math.max(1, max - min));
            StringBuilder json = new StringBuilder("{\"ts\":").append(1_767_000_000 + random.nextInt(1_000_000));
            int field = 0;
            while (json.length() < size - 20) {
                json.append(",\"r").append(field++).append("\":").append(random.nextInt(1000)).append('.')
                        .append(random.nextInt(100));
            }
            json.append(",\"ok\":true}");
            pool[i] = ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        }
        return new Payloads(pool);
    }

    /** Packed 16-bit register values that change slowly (PLC, Modbus-style polling). */
    static Payloads registers(Random random, int min, int max) {
        ByteBuffer[] pool = new ByteBuffer[POOL];
        for (int i = 0; i < POOL; i++) {
            int size = (min + random.nextInt(Math.max(1, max - min))) & ~1;
            byte[] bytes = new byte[size];
            for (int j = 0; j < size; j += 2) {
                bytes[j] = 0;
                bytes[j + 1] = (byte) (j < 8 ? random.nextInt(4) : 40 + random.nextInt(8));
            }
            pool[i] = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }
        return new Payloads(pool);
    }

    /** Compressed or encrypted data (thumbnails, exfiltrated archives, C2 messages). */
    static Payloads random(Random random, int min, int max) {
        ByteBuffer[] pool = new ByteBuffer[POOL];
        for (int i = 0; i < POOL; i++) {
            byte[] bytes = new byte[min + random.nextInt(Math.max(1, max - min))];
            random.nextBytes(bytes);
            pool[i] = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }
        return new Payloads(pool);
    }
}
