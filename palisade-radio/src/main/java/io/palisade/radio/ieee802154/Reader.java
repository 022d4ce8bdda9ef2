package io.palisade.radio.ieee802154;

/**
 * Little-endian reads from a frame (802.15.4 and ZigBee put every multi-byte field least significant byte first),
 * each checked against the end: a short frame is a {@link FrameFormatException} naming what was being read.
 */
public final class Reader {

    private final byte[] bytes;
    private final String what;
    private int position;

    public Reader(byte[] bytes, String what) {
        this(bytes, 0, what);
    }

    public Reader(byte[] bytes, int offset, String what) {
        this.bytes = bytes;
        this.position = offset;
        this.what = what;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return bytes.length - position;
    }

    public int u8() throws FrameFormatException {
        need(1);
        return bytes[position++] & 0xff;
    }

    public int u16() throws FrameFormatException {
        need(2);
        int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
        position += 2;
        return value;
    }

    public long u32() throws FrameFormatException {
        need(4);
        long value = 0;
        for (int i = 3; i >= 0; i--) {
            value = value << 8 | (bytes[position + i] & 0xff);
        }
        position += 4;
        return value;
    }

    public long u64() throws FrameFormatException {
        need(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (bytes[position + i] & 0xff);
        }
        position += 8;
        return value;
    }

    public void skip(int count) throws FrameFormatException {
        need(count);
        position += count;
    }

    private void need(int count) throws FrameFormatException {
        if (count < 0 || bytes.length - position < count) {
            throw new FrameFormatException(what + " ends at byte " + bytes.length + ", inside a field at byte "
                    + position);
        }
    }
}
