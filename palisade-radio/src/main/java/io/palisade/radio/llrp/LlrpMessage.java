package io.palisade.radio.llrp;

/** One LLRP message: protocol version (1 = LLRP 1.0.1, 2 = 1.1), type, id and body (the bytes after the header). */
public record LlrpMessage(int version, int type, long id, byte[] body) {

    public static final int RO_ACCESS_REPORT = 61;
    public static final int KEEPALIVE = 62;
    public static final int READER_EVENT_NOTIFICATION = 63;
    public static final int KEEPALIVE_ACK = 72;
    public static final int HEADER_BYTES = 10;

    /** The message on the wire: header (reserved, version, type; length; id) and body. */
    public byte[] encode() {
        int length = HEADER_BYTES + body.length;
        byte[] out = new byte[length];
        int word = (version & 0x07) << 10 | (type & 0x3ff);
        out[0] = (byte) (word >> 8);
        out[1] = (byte) word;
        out[2] = (byte) (length >>> 24);
        out[3] = (byte) (length >>> 16);
        out[4] = (byte) (length >>> 8);
        out[5] = (byte) length;
        out[6] = (byte) (id >>> 24);
        out[7] = (byte) (id >>> 16);
        out[8] = (byte) (id >>> 8);
        out[9] = (byte) id;
        System.arraycopy(body, 0, out, HEADER_BYTES, body.length);
        return out;
    }
}
