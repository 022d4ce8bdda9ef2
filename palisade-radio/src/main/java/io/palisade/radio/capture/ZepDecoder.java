package io.palisade.radio.capture;

import io.palisade.radio.ieee802154.FrameFormatException;
import java.nio.ByteBuffer;

/**
 * The ZigBee Encapsulation Protocol (ZEP, versions 1 and 2; UDP 17754) that sniffers and coordinators stream frames
 * in: one data packet per datagram, the frame's last two bytes either its FCS (CRC mode: checked and removed) or the
 * radio's LQI/RSSI (removed). Acknowledgement packets carry no frame and are ignored (empty answer).
 */
public final class ZepDecoder {

    public static final int DEFAULT_PORT = 17754;

    private ZepDecoder() {
    }

    /** The frame without FCS, or null for a ZEP packet that carries none (v2 ack). */
    public static byte[] frame(byte[] datagram) throws FrameFormatException {
        ByteBuffer in = ByteBuffer.wrap(datagram);
        if (datagram.length < 4 || datagram[0] != 'E' || datagram[1] != 'X') {
            throw new FrameFormatException("not a ZEP packet (no 'EX' preamble)");
        }
        int version = datagram[2] & 0xff;
        int headerLength;
        int modeAt;
        if (version == 1) {
            headerLength = 16;
            modeAt = 6;
        } else if (version == 2) {
            int type = datagram[3] & 0xff;
            if (type == 2) {
                return null;
            }
            if (type != 1) {
                throw new FrameFormatException("ZEP v2 packet type " + type + " is neither data nor ack");
            }
            headerLength = 32;
            modeAt = 7;
        } else {
            throw new FrameFormatException("ZEP version " + version + " is not 1 or 2");
        }
        if (datagram.length < headerLength) {
            throw new FrameFormatException("ZEP packet shorter than its " + headerLength + "-byte header");
        }
        boolean crcMode = datagram[modeAt] == 0;
        int length = datagram[headerLength - 1] & 0xff;
        if (length < 2 || length > 127 || headerLength + length != datagram.length) {
            throw new FrameFormatException("ZEP length " + length + " does not match the " + datagram.length
                    + "-byte packet");
        }
        byte[] frame = new byte[length];
        in.position(headerLength);
        in.get(frame);
        if (crcMode && !Fcs.matches(frame)) {
            throw new FrameFormatException("frame check sequence does not match");
        }
        return java.util.Arrays.copyOf(frame, length - 2);
    }

    /** A ZEP v2 data packet in CRC mode around {@code frameWithoutFcs}, as a sniffer sends it. */
    public static byte[] encode(int channel, int deviceId, long sequence, byte[] frameWithoutFcs) {
        byte[] frame = Fcs.append(frameWithoutFcs);
        return ByteBuffer.allocate(32 + frame.length).put((byte) 'E').put((byte) 'X').put((byte) 2).put((byte) 1)
                .put((byte) channel).putShort((short) deviceId).put((byte) 0).put((byte) 0xff).putLong(0)
                .putInt((int) sequence).put(new byte[10]).put((byte) frame.length).put(frame).array();
    }
}
