package io.palisade.radio.ieee802154;

import java.util.Arrays;
import java.util.Optional;

/**
 * One IEEE 802.15.4 MAC frame as received (without its FCS). {@code headerLength} bytes from the start are what the
 * frame's security authenticates but never encrypts (the MAC header with its auxiliary security header, and a
 * command frame's command identifier); the payload follows, then the MIC if the frame is secured.
 */
public record MacFrame(FrameType type, int frameVersion, int sequence, boolean panIdCompression,
                       int destinationPan, MacAddress destination, int sourcePan, MacAddress source,
                       Optional<AuxSecurityHeader> security, byte[] bytes, int headerLength) {

    /** The bytes after the header and before the MIC (ciphertext when the level encrypts). */
    public byte[] payload() {
        return Arrays.copyOfRange(bytes, headerLength, bytes.length - micLength());
    }

    public byte[] header() {
        return Arrays.copyOf(bytes, headerLength);
    }

    public byte[] mic() {
        return Arrays.copyOfRange(bytes, bytes.length - micLength(), bytes.length);
    }

    public int micLength() {
        return security.map(s -> s.level().micLength()).orElse(0);
    }

    public boolean secured() {
        return security.isPresent();
    }
}
