package io.palisade.radio.capture;

/** The 802.15.4 frame check sequence: CRC-16/ITU-T as 802.15.4 computes it (reflected 0x1021, initial 0), sent LSB first. */
public final class Fcs {

    private Fcs() {
    }

    public static int compute(byte[] bytes, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= bytes[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return crc;
    }

    /** Whether the last two bytes of {@code frame} are the FCS of the rest. */
    public static boolean matches(byte[] frame) {
        if (frame.length < 2) {
            return false;
        }
        int carried = (frame[frame.length - 2] & 0xff) | (frame[frame.length - 1] & 0xff) << 8;
        return compute(frame, 0, frame.length - 2) == carried;
    }

    /** {@code frame} with its FCS appended. */
    public static byte[] append(byte[] frame) {
        int crc = compute(frame, 0, frame.length);
        byte[] out = java.util.Arrays.copyOf(frame, frame.length + 2);
        out[frame.length] = (byte) crc;
        out[frame.length + 1] = (byte) (crc >> 8);
        return out;
    }
}
