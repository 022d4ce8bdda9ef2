package io.palisade.radio.ieee802154;

import java.util.Optional;

/**
 * Reads IEEE 802.15.4 MAC frames (2003, 2006 and 2015 frame versions, without header or payload information elements)
 * from the bytes a radio or sniffer hands over, FCS already removed. Every length is checked against what is there;
 * anything malformed or unsupported is a {@link FrameFormatException} naming the field. Frames are at most
 * {@value #MAX_FRAME_BYTES} bytes (aMaxPHYPacketSize less the FCS); nothing longer exists on air.
 */
public final class MacFrameParser {

    public static final int MAX_FRAME_BYTES = 125;

    private MacFrameParser() {
    }

    public static MacFrame parse(byte[] frame) throws FrameFormatException {
        if (frame.length > MAX_FRAME_BYTES) {
            throw new FrameFormatException("frame of " + frame.length + " bytes is longer than 802.15.4 allows ("
                    + MAX_FRAME_BYTES + " without FCS)");
        }
        Reader in = new Reader(frame, "802.15.4 frame");
        int control = in.u16();
        FrameType type = FrameType.of(control & 0x07);
        boolean securityEnabled = (control & 0x08) != 0;
        boolean panIdCompression = (control & 0x40) != 0;
        boolean sequenceSuppressed = (control & 0x100) != 0;
        boolean informationElements = (control & 0x200) != 0;
        int destinationMode = (control >> 10) & 0x03;
        int frameVersion = (control >> 12) & 0x03;
        int sourceMode = (control >> 14) & 0x03;
        if (frameVersion == 3) {
            throw new FrameFormatException("frame version 3 is reserved");
        }
        if (frameVersion < 2 && (sequenceSuppressed || informationElements)) {
            throw new FrameFormatException("frame control bits 8-9 are reserved before 802.15.4-2015 but set");
        }
        if (sequenceSuppressed || informationElements) {
            throw new FrameFormatException("802.15.4-2015 sequence number suppression and information elements "
                    + "are not supported");
        }
        if (destinationMode == 1 || sourceMode == 1) {
            throw new FrameFormatException("address mode 1 is reserved");
        }
        int sequence = in.u8();
        int destinationPan = -1;
        MacAddress destination = MacAddress.NONE;
        if (destinationMode != 0) {
            destinationPan = in.u16();
            destination = address(in, destinationMode);
        }
        int sourcePan = destinationPan;
        MacAddress source = MacAddress.NONE;
        if (sourceMode != 0) {
            if (!panIdCompression || destinationMode == 0) {
                sourcePan = in.u16();
            }
            source = address(in, sourceMode);
        }
        Optional<AuxSecurityHeader> security = Optional.empty();
        if (securityEnabled) {
            if (frameVersion == 0) {
                throw new FrameFormatException("802.15.4-2003 security (frame version 0) is not supported");
            }
            security = Optional.of(auxiliaryHeader(in, frameVersion));
        }
        if (type == FrameType.COMMAND) {
            in.u8(); // the command identifier: authenticated, never encrypted
        }
        int headerLength = in.position();
        int mic = security.map(s -> s.level().micLength()).orElse(0);
        if (frame.length - headerLength < mic) {
            throw new FrameFormatException("frame ends inside its " + mic + "-byte MIC");
        }
        if (type == FrameType.BEACON && security.map(s -> s.level().encrypted()).orElse(false)) {
            throw new FrameFormatException("encrypted beacons are not supported");
        }
        return new MacFrame(type, frameVersion, sequence, panIdCompression, destinationPan, destination, sourcePan,
                source, security, frame.clone(), headerLength);
    }

    private static MacAddress address(Reader in, int mode) throws FrameFormatException {
        return mode == 2 ? MacAddress.ofShort(in.u16()) : MacAddress.ofExtended(in.u64());
    }

    private static AuxSecurityHeader auxiliaryHeader(Reader in, int frameVersion) throws FrameFormatException {
        int control = in.u8();
        SecurityLevel level = SecurityLevel.of(control);
        int keyIdMode = (control >> 3) & 0x03;
        if (frameVersion == 2 && (control & 0x20) != 0) {
            throw new FrameFormatException("frame counter suppression (TSCH) is not supported");
        }
        if ((control & (frameVersion == 2 ? 0x80 : 0xe0)) != 0) {
            throw new FrameFormatException("reserved bits of the security control field are set");
        }
        long counter = in.u32();
        long keySource = switch (keyIdMode) {
            case 2 -> in.u32();
            case 3 -> in.u64();
            default -> 0;
        };
        int keyIndex = keyIdMode == 0 ? 0 : in.u8();
        return new AuxSecurityHeader(level, keyIdMode, counter, keySource, keyIndex);
    }
}
