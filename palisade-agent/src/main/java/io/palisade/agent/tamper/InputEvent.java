package io.palisade.agent.tamper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux {@code struct input_event} as read from {@code /dev/input/eventN}: a {@code struct timeval} (two C
 * longs), then type, code (unsigned 16 bits) and value (signed 32 bits), in native byte order.
 */
public record InputEvent(long seconds, long microseconds, int type, int code, int value) {

    /** {@code EV_SW}: a binary switch (lid, case, dock). */
    public static final int EV_SW = 0x05;

    /** The size of one event for a C long of {@code longSize} bytes (24 on 64-bit Linux). */
    public static int size(int longSize) {
        return 2 * longSize + 8;
    }

    public static InputEvent decode(ByteBuffer bytes, int longSize) {
        if (longSize != 4 && longSize != 8) {
            throw new IllegalArgumentException("a C long of " + longSize + " bytes");
        }
        if (bytes.remaining() < size(longSize)) {
            throw new IllegalArgumentException("an input event needs " + size(longSize) + " bytes, got "
                    + bytes.remaining());
        }
        ByteBuffer in = bytes.order(ByteOrder.nativeOrder());
        long seconds = longSize == 8 ? in.getLong() : in.getInt();
        long microseconds = longSize == 8 ? in.getLong() : in.getInt();
        return new InputEvent(seconds, microseconds, Short.toUnsignedInt(in.getShort()),
                Short.toUnsignedInt(in.getShort()), in.getInt());
    }

    /** The kernel's name of a switch code ({@code linux/input-event-codes.h}), or its number. */
    public static String switchName(int code) {
        return switch (code) {
            case 0x00 -> "SW_LID";
            case 0x01 -> "SW_TABLET_MODE";
            case 0x05 -> "SW_DOCK";
            case 0x0a -> "SW_FRONT_PROXIMITY";
            case 0x0b -> "SW_ROTATE_LOCK";
            case 0x0f -> "SW_MACHINE_COVER";
            default -> "SW_0x" + Integer.toHexString(code);
        };
    }
}
