package io.palisade.legacy.modbus;

/**
 * One Modbus/TCP application data unit: the MBAP header's transaction id and unit id, the PDU (function code first),
 * and the frame's bytes as they arrived, to forward unchanged.
 */
record MbapFrame(int transaction, int unit, byte[] pdu, byte[] raw) {

    /** MBAP header: transaction (2), protocol (2), length (2), unit (1). */
    static final int HEADER_BYTES = 7;
    /** A PDU is at most 253 bytes, so the length field (unit id + PDU) is at most 254. */
    static final int MAX_PDU_BYTES = 253;

    int function() {
        return pdu.length == 0 ? 0 : pdu[0] & 0xFF;
    }
}
