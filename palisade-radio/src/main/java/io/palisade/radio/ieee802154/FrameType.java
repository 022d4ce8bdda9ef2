package io.palisade.radio.ieee802154;

/** The 802.15.4 frame types (frame control bits 0–2) Palisade reads; the rest are refused by name. */
public enum FrameType {
    BEACON, DATA, ACK, COMMAND;

    static FrameType of(int code) throws FrameFormatException {
        return switch (code) {
            case 0 -> BEACON;
            case 1 -> DATA;
            case 2 -> ACK;
            case 3 -> COMMAND;
            default -> throw new FrameFormatException("frame type " + code + " (multipurpose, fragment or extended) "
                    + "is not supported");
        };
    }
}
