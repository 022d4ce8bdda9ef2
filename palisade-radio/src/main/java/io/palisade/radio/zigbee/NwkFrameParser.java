package io.palisade.radio.zigbee;

import io.palisade.radio.ieee802154.FrameFormatException;
import io.palisade.radio.ieee802154.Reader;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads ZigBee NWK frames (ZigBee 2007 / PRO, protocol versions 2 and 3): frame control, addresses, radius, sequence,
 * the optional IEEE addresses, multicast control and source route, then the auxiliary security header. Inter-PAN
 * frames (type 3, no NWK header) are refused by name.
 */
public final class NwkFrameParser {

    private NwkFrameParser() {
    }

    public static NwkFrame parse(byte[] bytes) throws FrameFormatException {
        Reader in = new Reader(bytes, "ZigBee NWK frame");
        int control = in.u16();
        int type = control & 0x03;
        if (type > 1) {
            throw new FrameFormatException("NWK frame type " + type + " (inter-PAN or reserved) is not supported");
        }
        int version = (control >> 2) & 0x0f;
        if (version < 2 || version > 3) {
            throw new FrameFormatException("NWK protocol version " + version + " is not ZigBee 2007/PRO");
        }
        boolean multicast = (control & 0x100) != 0;
        boolean secured = (control & 0x200) != 0;
        boolean sourceRoute = (control & 0x400) != 0;
        boolean destinationIeee = (control & 0x800) != 0;
        boolean sourceIeee = (control & 0x1000) != 0;
        int destination = in.u16();
        int source = in.u16();
        int radius = in.u8();
        int sequence = in.u8();
        OptionalLong dstIeee = destinationIeee ? OptionalLong.of(in.u64()) : OptionalLong.empty();
        OptionalLong srcIeee = sourceIeee ? OptionalLong.of(in.u64()) : OptionalLong.empty();
        if (multicast) {
            in.u8();
        }
        if (sourceRoute) {
            int relays = in.u8();
            in.u8(); // relay index
            in.skip(2 * relays);
        }
        Optional<ZigbeeAuxHeader> security = Optional.empty();
        if (secured) {
            security = Optional.of(ZigbeeAuxHeader.read(in));
        }
        return new NwkFrame(type, version, destination, source, radius, sequence, dstIeee, srcIeee, security,
                bytes.clone(), in.position());
    }
}
