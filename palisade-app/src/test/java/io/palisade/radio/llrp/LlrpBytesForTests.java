package io.palisade.radio.llrp;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * An RO_ACCESS_REPORT as a reader sends it, laid out field by field from the LLRP specification (TagReportData TLV
 * 240 holding an EPC-96 TV 13 and an AntennaID TV 1), for the app's end-to-end test.
 */
public final class LlrpBytesForTests {

    private LlrpBytesForTests() {
    }

    public static byte[] report(long id, String epcHex) {
        byte[] epc = ByteBuffer.allocate(13).put((byte) (0x80 | 13)).put(HexFormat.of().parseHex(epcHex)).array();
        byte[] antenna = {(byte) (0x80 | 1), 0, 1};
        int length = 4 + epc.length + antenna.length;
        byte[] tagReportData = ByteBuffer.allocate(length).putShort((short) 240).putShort((short) length).put(epc)
                .put(antenna).array();
        return new LlrpMessage(1, LlrpMessage.RO_ACCESS_REPORT, id, tagReportData).encode();
    }
}
