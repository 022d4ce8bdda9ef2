package io.palisade.radio.zigbee;

import io.palisade.radio.ieee802154.FrameFormatException;
import io.palisade.radio.ieee802154.Reader;
import java.util.OptionalLong;

/**
 * ZigBee's auxiliary security header (NWK and APS): security control (level — zero on air, the network's level applies
 * —, key identifier, extended nonce), frame counter, the sender's IEEE address when the extended-nonce bit is set, and
 * the network key's sequence number when the key is the network key.
 *
 * @param offset where the header starts in the frame (its control byte gets the real level back for the MIC)
 */
public record ZigbeeAuxHeader(int offset, int control, KeyId keyId, long frameCounter, OptionalLong source,
                              int keySequence, int length) {

    /** Which key secures the frame (security control bits 3–4). */
    public enum KeyId { DATA, NETWORK, KEY_TRANSPORT, KEY_LOAD }

    static ZigbeeAuxHeader read(Reader in) throws FrameFormatException {
        int offset = in.position();
        int control = in.u8();
        if ((control & 0xc0) != 0) {
            throw new FrameFormatException("reserved bits of the ZigBee security control field are set");
        }
        KeyId keyId = KeyId.values()[(control >> 3) & 0x03];
        long counter = in.u32();
        OptionalLong source = (control & 0x20) != 0 ? OptionalLong.of(in.u64()) : OptionalLong.empty();
        int sequence = keyId == KeyId.NETWORK ? in.u8() : -1;
        return new ZigbeeAuxHeader(offset, control, keyId, counter, source, sequence, in.position() - offset);
    }
}
