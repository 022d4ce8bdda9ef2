package io.palisade.radio.capture;

import io.palisade.radio.ieee802154.FrameFormatException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads 802.15.4 frames from a classic pcap file (microsecond or nanosecond timestamps, either byte order) whose link
 * type is {@value #LINKTYPE_WITH_FCS} (frames with FCS; the FCS is checked and removed) or
 * {@value #LINKTYPE_NO_FCS} (frames without FCS), as Wireshark, tcpdump and sniffers write them. pcapng files are refused
 * with the conversion that helps ({@code editcap -F pcap}). Records longer than 802.15.4 allows, a truncated file or
 * another link type are {@link FrameFormatException}s; a frame with a bad FCS is counted, not delivered.
 */
public final class PcapReader {

    public static final int LINKTYPE_WITH_FCS = 195;
    public static final int LINKTYPE_NO_FCS = 230;
    /** 127-byte PHY payload; more is not an 802.15.4 frame. */
    private static final int MAX_RECORD = 127;

    private PcapReader() {
    }

    /** What reading a file found besides the frames it delivered. */
    public record Summary(int frames, int badFcs) {
    }

    public static Summary read(InputStream stream, String feed, Consumer<CapturedFrame> frames)
            throws IOException, FrameFormatException {
        DataInputStream in = new DataInputStream(stream);
        byte[] header = new byte[24];
        if (!readFully(in, header)) {
            throw new FrameFormatException("not a pcap file: shorter than a pcap header");
        }
        int magic = bigEndian(header, 0);
        boolean swapped;
        boolean nanos;
        switch (magic) {
            case 0xa1b2c3d4 -> { swapped = false; nanos = false; }
            case 0xa1b23c4d -> { swapped = false; nanos = true; }
            case 0xd4c3b2a1 -> { swapped = true; nanos = false; }
            case 0x4d3cb2a1 -> { swapped = true; nanos = true; }
            case 0x0a0d0d0a -> throw new FrameFormatException("this is a pcapng file; convert it with "
                    + "'editcap -F pcap IN OUT'");
            default -> throw new FrameFormatException("not a pcap file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int linkType = field(header, 20, swapped);
        if (linkType != LINKTYPE_WITH_FCS && linkType != LINKTYPE_NO_FCS) {
            throw new FrameFormatException("pcap link type " + linkType + " is not IEEE 802.15.4 ("
                    + LINKTYPE_WITH_FCS + " or " + LINKTYPE_NO_FCS + ")");
        }
        int count = 0;
        int badFcs = 0;
        byte[] record = new byte[16];
        while (readFully(in, record)) {
            long seconds = field(record, 0, swapped) & 0xffffffffL;
            long fraction = field(record, 4, swapped) & 0xffffffffL;
            int length = field(record, 8, swapped);
            if (length < 0 || length > MAX_RECORD) {
                throw new FrameFormatException("pcap record " + (count + badFcs + 1) + " holds " + length
                        + " bytes; an 802.15.4 frame has at most " + MAX_RECORD);
            }
            byte[] frame = new byte[length];
            if (!readFully(in, frame)) {
                throw new FrameFormatException("pcap file ends inside record " + (count + badFcs + 1));
            }
            if (linkType == LINKTYPE_WITH_FCS) {
                if (!Fcs.matches(frame)) {
                    badFcs++;
                    continue;
                }
                frame = java.util.Arrays.copyOf(frame, frame.length - 2);
            }
            Instant time = Instant.ofEpochSecond(seconds, nanos ? fraction : fraction * 1000);
            frames.accept(new CapturedFrame(time, feed, frame));
            count++;
        }
        return new Summary(count, badFcs);
    }

    private static boolean readFully(DataInputStream in, byte[] into) throws IOException, FrameFormatException {
        if (into.length == 0) {
            return true; // an empty record: nothing to read (and, without FCS or header, no frame)
        }
        int first = in.read();
        if (first < 0) {
            return false;
        }
        into[0] = (byte) first;
        try {
            in.readFully(into, 1, into.length - 1);
        } catch (EOFException e) {
            throw new FrameFormatException("pcap file is truncated");
        }
        return true;
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int field(byte[] b, int at, boolean swapped) {
        int value = bigEndian(b, at);
        return swapped ? Integer.reverseBytes(value) : value;
    }
}
