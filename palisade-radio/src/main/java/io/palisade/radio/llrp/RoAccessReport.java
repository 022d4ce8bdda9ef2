package io.palisade.radio.llrp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes the body of an LLRP RO_ACCESS_REPORT (message 61) into its TagReportData parameters (TLV 240): the EPC from
 * EPCData (TLV 241, any bit length) or EPC-96 (TV 13), AntennaID (TV 1), FirstSeenTimestampUTC (TV 2, microseconds);
 * the other TV parameters of LLRP 1.0.1 are skipped by their fixed lengths, TLV parameters (access results, custom
 * extensions, RF survey data) by their stated lengths. A TV type LLRP does not define cannot be skipped and refuses
 * the whole report. At most {@value #MAX_TAGS} tags a report.
 */
public final class RoAccessReport {

    public static final int MAX_TAGS = 10_000;
    private static final int TAG_REPORT_DATA = 240;
    private static final int EPC_DATA = 241;
    private static final int TV_EPC_96 = 13;
    private static final int TV_ANTENNA_ID = 1;
    private static final int TV_FIRST_SEEN_UTC = 2;

    private RoAccessReport() {
    }

    public static List<TagReportData> parse(byte[] body) throws LlrpFormatException {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<TagReportData> tags = new ArrayList<>();
        while (in.hasRemaining()) {
            if ((in.get(in.position()) & 0x80) != 0) {
                throw new LlrpFormatException("a TV parameter at the top of an RO_ACCESS_REPORT");
            }
            int type = tlvType(in);
            int length = tlvLength(in, "RO_ACCESS_REPORT parameter " + type);
            ByteBuffer value = slice(in, length - 4);
            if (type == TAG_REPORT_DATA) {
                if (tags.size() >= MAX_TAGS) {
                    throw new LlrpFormatException("RO_ACCESS_REPORT with more than " + MAX_TAGS + " tags");
                }
                tags.add(tagReportData(value));
            }
        }
        return tags;
    }

    private static TagReportData tagReportData(ByteBuffer in) throws LlrpFormatException {
        String epc = null;
        OptionalInt antenna = OptionalInt.empty();
        Optional<Instant> firstSeen = Optional.empty();
        while (in.hasRemaining()) {
            int first = in.get(in.position()) & 0xff;
            if ((first & 0x80) != 0) {
                in.get();
                int type = first & 0x7f;
                switch (type) {
                    case TV_EPC_96 -> epc = hex(in, 12, "EPC-96");
                    case TV_ANTENNA_ID -> antenna = OptionalInt.of(u16(in, "AntennaID"));
                    case TV_FIRST_SEEN_UTC -> {
                        long micros = u64(in, "FirstSeenTimestampUTC");
                        if (micros >= 0) {
                            firstSeen = Optional.of(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
                        }
                    }
                    default -> skip(in, tvLength(type), "TV parameter " + type);
                }
            } else {
                int type = tlvType(in);
                int length = tlvLength(in, "TagReportData parameter " + type);
                ByteBuffer value = slice(in, length - 4);
                if (type == EPC_DATA) {
                    int bits = u16(value, "EPCData length");
                    int bytes = (bits + 7) / 8;
                    if (bytes > value.remaining()) {
                        throw new LlrpFormatException("EPCData of " + bits + " bits holds " + value.remaining()
                                + " bytes");
                    }
                    epc = hex(value, bytes, "EPCData");
                }
            }
        }
        if (epc == null) {
            throw new LlrpFormatException("TagReportData without an EPC");
        }
        return new TagReportData(epc, antenna, firstSeen);
    }

    /** Fixed value lengths of LLRP 1.0.1's TV parameters (types 1–16). */
    private static int tvLength(int type) throws LlrpFormatException {
        return switch (type) {
            case 1, 7, 8, 10, 11, 12, 14, 15 -> 2; // AntennaID, ChannelIndex, TagSeenCount, InventoryParameterSpecID, C1G2 CRC, PC, SpecIndex, ClientRequestOpSpecResult
            case 6 -> 1;                            // PeakRSSI
            case 9, 16 -> 4;                        // ROSpecID, AccessSpecID
            case 2, 3, 4, 5 -> 8;                   // first/last seen, UTC/uptime
            case 13 -> 12;                          // EPC-96
            default -> throw new LlrpFormatException("TV parameter type " + type + " is not LLRP's");
        };
    }

    private static int tlvType(ByteBuffer in) throws LlrpFormatException {
        return u16(in, "parameter type") & 0x3ff;
    }

    private static int tlvLength(ByteBuffer in, String what) throws LlrpFormatException {
        int length = u16(in, what + " length");
        if (length < 4 || length - 4 > in.remaining()) {
            throw new LlrpFormatException(what + " claims " + length + " bytes; " + (in.remaining() + 4)
                    + " are there");
        }
        return length;
    }

    private static ByteBuffer slice(ByteBuffer in, int length) {
        ByteBuffer value = in.slice();
        value.limit(length);
        in.position(in.position() + length);
        return value;
    }

    private static void skip(ByteBuffer in, int length, String what) throws LlrpFormatException {
        need(in, length, what);
        in.position(in.position() + length);
    }

    private static String hex(ByteBuffer in, int length, String what) throws LlrpFormatException {
        need(in, length, what);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static int u16(ByteBuffer in, String what) throws LlrpFormatException {
        need(in, 2, what);
        return in.getShort() & 0xffff;
    }

    private static long u64(ByteBuffer in, String what) throws LlrpFormatException {
        need(in, 8, what);
        return in.getLong();
    }

    private static void need(ByteBuffer in, int length, String what) throws LlrpFormatException {
        if (in.remaining() < length) {
            throw new LlrpFormatException(what + " ends after " + in.remaining() + " of its " + length + " bytes");
        }
    }
}
