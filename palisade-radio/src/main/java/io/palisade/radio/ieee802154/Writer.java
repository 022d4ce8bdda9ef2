package io.palisade.radio.ieee802154;

import java.io.ByteArrayOutputStream;

/** Little-endian writes, the mirror of {@link Reader}, for building frames (the simulator, tests and benchmarks). */
public final class Writer {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    public Writer u8(int value) {
        out.write(value);
        return this;
    }

    public Writer u16(int value) {
        out.write(value);
        out.write(value >> 8);
        return this;
    }

    public Writer u32(long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >> (8 * i)));
        }
        return this;
    }

    public Writer u64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >> (8 * i)));
        }
        return this;
    }

    public Writer bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
