package io.palisade.radio.llrp;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Frames LLRP messages from a reader's TCP stream (EPCglobal LLRP 1.0.1 / 1.1, big-endian): a 10-byte header —
 * 3 reserved bits, 3 version bits, 10 type bits; 32-bit length including the header; 32-bit id — then the body.
 * Versions 1 and 2 only; messages of at most {@value #MAX_MESSAGE_BYTES} bytes (a report of a few thousand tags).
 */
public final class LlrpReader {

    public static final int MAX_MESSAGE_BYTES = 1 << 20;

    private final DataInputStream in;

    public LlrpReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next message, or null at a clean end of stream (between messages). */
    public LlrpMessage next() throws IOException, LlrpFormatException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] header = new byte[LlrpMessage.HEADER_BYTES];
        header[0] = (byte) first;
        try {
            in.readFully(header, 1, header.length - 1);
        } catch (EOFException e) {
            throw new LlrpFormatException("stream ends inside an LLRP header");
        }
        int word = (header[0] & 0xff) << 8 | (header[1] & 0xff);
        int version = (word >> 10) & 0x07;
        int type = word & 0x3ff;
        long length = readU32(header, 2);
        long id = readU32(header, 6);
        if (version != 1 && version != 2) {
            throw new LlrpFormatException("LLRP version " + version + " (1 and 2 are known)");
        }
        if (length < LlrpMessage.HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
            throw new LlrpFormatException("LLRP message length " + length + " is outside 10.." + MAX_MESSAGE_BYTES);
        }
        byte[] body = new byte[(int) length - LlrpMessage.HEADER_BYTES];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw new LlrpFormatException("stream ends inside an LLRP message of " + length + " bytes");
        }
        return new LlrpMessage(version, type, id, body);
    }

    static long readU32(byte[] bytes, int at) {
        return ((long) (bytes[at] & 0xff) << 24) | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | (bytes[at + 3] & 0xff);
    }
}
