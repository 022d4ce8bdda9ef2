package io.palisade.radio.zigbee;

import io.palisade.radio.ieee802154.FrameFormatException;
import io.palisade.radio.ieee802154.Reader;
import java.util.Optional;

/**
 * Reads ZigBee APS frames: data, command and acknowledgement frames with unicast, broadcast or group delivery, then the
 * auxiliary security header. Fragmented frames (extended header) are refused by name: reassembly is not done here.
 */
public final class ApsFrameParser {

    private ApsFrameParser() {
    }

    public static ApsFrame parse(byte[] bytes) throws FrameFormatException {
        Reader in = new Reader(bytes, "ZigBee APS frame");
        int control = in.u8();
        int type = control & 0x03;
        if (type == 3) {
            throw new FrameFormatException("APS inter-PAN frames are not supported");
        }
        int delivery = (control >> 2) & 0x03;
        if (delivery == 1) {
            throw new FrameFormatException("APS delivery mode 1 (indirect) is reserved");
        }
        boolean ackFormat = (control & 0x10) != 0;
        boolean secured = (control & 0x20) != 0;
        boolean extended = (control & 0x80) != 0;
        int destinationEndpoint = -1;
        int cluster = -1;
        int profile = -1;
        int sourceEndpoint = -1;
        boolean addressed = type == ApsFrame.DATA || (type == ApsFrame.ACK && !ackFormat);
        if (addressed) {
            if (delivery == 3) {
                in.u16(); // group address
            } else {
                destinationEndpoint = in.u8();
            }
            cluster = in.u16();
            profile = in.u16();
            sourceEndpoint = in.u8();
        }
        int counter = in.u8();
        if (extended) {
            int extendedControl = in.u8();
            if ((extendedControl & 0x03) != 0) {
                throw new FrameFormatException("fragmented APS frames are not supported");
            }
        }
        Optional<ZigbeeAuxHeader> security = Optional.empty();
        if (secured) {
            security = Optional.of(ZigbeeAuxHeader.read(in));
        }
        return new ApsFrame(type, delivery, destinationEndpoint, cluster, profile, sourceEndpoint, counter, security,
                bytes.clone(), in.position());
    }
}
