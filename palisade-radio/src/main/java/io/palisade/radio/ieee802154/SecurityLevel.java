package io.palisade.radio.ieee802154;

/**
 * The eight security levels of IEEE 802.15.4 (and of ZigBee, which reuses them): whether the payload is encrypted and
 * how long the message integrity code is. Levels 0 and 4 carry no MIC at all: nothing proves such a frame's origin.
 */
public enum SecurityLevel {
    NONE(false, 0), MIC_32(false, 4), MIC_64(false, 8), MIC_128(false, 16),
    ENC(true, 0), ENC_MIC_32(true, 4), ENC_MIC_64(true, 8), ENC_MIC_128(true, 16);

    private final boolean encrypted;
    private final int micLength;

    SecurityLevel(boolean encrypted, int micLength) {
        this.encrypted = encrypted;
        this.micLength = micLength;
    }

    public static SecurityLevel of(int level) {
        return values()[level & 0x07];
    }

    public int code() {
        return ordinal();
    }

    public boolean encrypted() {
        return encrypted;
    }

    public int micLength() {
        return micLength;
    }

    /** Whether a frame at this level proves anything about who sent it. */
    public boolean authenticated() {
        return micLength > 0;
    }
}
