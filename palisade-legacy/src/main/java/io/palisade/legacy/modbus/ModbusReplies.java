package io.palisade.legacy.modbus;

/** Frames Palisade answers itself: a Modbus exception response to a refused request. */
final class ModbusReplies {

    private ModbusReplies() {
    }

    /** MBAP header (the request's transaction and unit, length 3) + function | 0x80 + the exception code. */
    static byte[] exception(MbapFrame request, int code) {
        return new byte[] {(byte) (request.transaction() >> 8), (byte) request.transaction(), 0, 0, 0, 3,
                (byte) request.unit(), (byte) (request.function() | 0x80), (byte) code};
    }
}
