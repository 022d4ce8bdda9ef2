package io.palisade.radio.capture;

import io.palisade.radio.ieee802154.FrameFormatException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a classic pcap file into pieces of at most a given size, each a valid pcap file with the original header and
 * whole records in their order, so a capture of any size can cross an API with a request-body limit. Only record
 * lengths are read here; {@link PcapReader} judges the content.
 */
public final class PcapChunks {

    private static final int HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private PcapChunks() {
    }

    public static List<byte[]> split(byte[] file, int maxBytes) throws FrameFormatException {
        if (file.length < HEADER) {
            throw new FrameFormatException("not a pcap file: shorter than a pcap header");
        }
        int magic = (file[0] & 0xff) << 24 | (file[1] & 0xff) << 16 | (file[2] & 0xff) << 8 | (file[3] & 0xff);
        boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
        if (!swapped && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new FrameFormatException(magic == 0x0a0d0d0a ? "this is a pcapng file; convert it with "
                    + "'editcap -F pcap IN OUT'" : "not a pcap file");
        }
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream chunk = start(file);
        int at = HEADER;
        while (at < file.length) {
            if (file.length - at < RECORD_HEADER) {
                throw new FrameFormatException("pcap file is truncated");
            }
            int length = swapped
                    ? (file[at + 8] & 0xff) | (file[at + 9] & 0xff) << 8 | (file[at + 10] & 0xff) << 16
                    | (file[at + 11] & 0xff) << 24
                    : (file[at + 8] & 0xff) << 24 | (file[at + 9] & 0xff) << 16 | (file[at + 10] & 0xff) << 8
                    | (file[at + 11] & 0xff);
            if (length < 0 || length > maxBytes - HEADER - RECORD_HEADER || file.length - at - RECORD_HEADER < length) {
                throw new FrameFormatException("pcap record at byte " + at + " is malformed or truncated");
            }
            int record = RECORD_HEADER + length;
            if (chunk.size() + record > maxBytes) {
                chunks.add(chunk.toByteArray());
                chunk = start(file);
            }
            chunk.write(file, at, record);
            at += record;
        }
        if (chunk.size() > HEADER || chunks.isEmpty()) {
            chunks.add(chunk.toByteArray());
        }
        return chunks;
    }

    private static ByteArrayOutputStream start(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, HEADER);
        return out;
    }
}
