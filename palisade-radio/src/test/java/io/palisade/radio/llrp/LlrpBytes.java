package io.palisade.radio.llrp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * LLRP parameters as the specification lays them out (big-endian), written field by field for tests: what a reader
 * sends, built without the decoder's code.
 */
public final class LlrpBytes {

    private LlrpBytes() {
    }

    /** TLV: 6 reserved bits and a 10-bit type, a 16-bit length counting the 4-byte header, then the value. */
    public static byte[] tlv(int type, byte[]... value) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : value) {
            body.writeBytes(part);
        }
        return ByteBuffer.allocate(4 + body.size()).putShort((short) (type & 0x3ff)).putShort((short) (4 + body.size()))
                .put(body.toByteArray()).array();
    }

    /** TV: a 1 bit, a 7-bit type, then the fixed-length value. */
    public static byte[] tv(int type, byte[] value) {
        return ByteBuffer.allocate(1 + value.length).put((byte) (0x80 | type)).put(value).array();
    }

    public static byte[] epc96(String hex) {
        return tv(13, HexFormat.of().parseHex(hex));
    }

    public static byte[] epcData(int bits, String hex) {
        return tlv(241, ByteBuffer.allocate(2).putShort((short) bits).array(), HexFormat.of().parseHex(hex));
    }

    public static byte[] antenna(int id) {
        return tv(1, ByteBuffer.allocate(2).putShort((short) id).array());
    }

    public static byte[] firstSeenUtc(long micros) {
        return tv(2, ByteBuffer.allocate(8).putLong(micros).array());
    }

    public static byte[] peakRssi(int dbm) {
        return tv(6, new byte[]{(byte) dbm});
    }

    public static byte[] tagReportData(byte[]... parameters) {
        return tlv(240, parameters);
    }

    /** A whole RO_ACCESS_REPORT message (version 1, type 61). */
    public static byte[] roAccessReport(long id, byte[]... tagReports) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] report : tagReports) {
            body.writeBytes(report);
        }
        return new LlrpMessage(1, LlrpMessage.RO_ACCESS_REPORT, id, body.toByteArray()).encode();
    }
}
