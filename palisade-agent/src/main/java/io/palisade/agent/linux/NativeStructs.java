package io.palisade.agent.linux;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The small C structs the agent passes by pointer, laid out by hand in native byte order. */
final class NativeStructs {

    private NativeStructs() {
    }

    /** {@code struct sockaddr_nl}: family, padding, port id, multicast groups. */
    static byte[] sockaddrNl(int portId, int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_NETLINK)
                .putShort((short) 0).putInt(portId).putInt(groups).array();
    }

    /** {@code struct timeval} (two C longs). */
    static byte[] timeval(long seconds, long microseconds) {
        return longs(seconds, microseconds);
    }

    /** {@code struct rlimit} (two {@code rlim_t}, unsigned longs). */
    static byte[] rlimit(long soft, long hard) {
        return longs(soft, hard);
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static byte[] longs(long first, long second) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
        if (Native.LONG_SIZE == 8) {
            buffer.putLong(first).putLong(second);
        } else {
            buffer.putInt((int) first).putInt((int) second);
        }
        return buffer.array();
    }
}
