package io.palisade.radio.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/** Writes 802.15.4 frames as a classic pcap (link type 195, FCS appended): for tests, benchmarks and the simulator. */
public final class PcapWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PcapWriter() {
        out.writeBytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4).putShort((short) 2)
                .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(PcapReader.LINKTYPE_WITH_FCS).array());
    }

    public PcapWriter frame(Instant time, byte[] frameWithoutFcs) {
        byte[] frame = Fcs.append(frameWithoutFcs);
        out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) time.getEpochSecond())
                .putInt(time.getNano() / 1000).putInt(frame.length).putInt(frame.length).array());
        out.writeBytes(frame);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
