package io.palisade.radio.ieee802154;

/**
 * The auxiliary security header of a secured 802.15.4 frame: security level, key identifier mode (0 implicit key,
 * 1 key index, 2 four-byte key source + index, 3 eight-byte key source + index) and the sender's frame counter.
 */
public record AuxSecurityHeader(SecurityLevel level, int keyIdMode, long frameCounter, long keySource, int keyIndex) {

    /** The key's name in Palisade's keyring: the key index (0 for the implicit key of mode 0). */
    public int keyName() {
        return keyIdMode == 0 ? 0 : keyIndex;
    }
}
