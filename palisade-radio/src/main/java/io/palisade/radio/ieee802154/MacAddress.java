package io.palisade.radio.ieee802154;

import java.util.Locale;

/**
 * An IEEE 802.15.4 address: absent, a 16-bit short address (assigned by the coordinator, changes on rejoin) or a 64-bit
 * extended address (the radio's IEEE EUI-64, fixed). Written like Wireshark writes them: {@code 0x1a2b} and
 * {@code 00:12:4b:00:01:02:03:04}.
 */
public record MacAddress(Mode mode, long value) {

    public enum Mode { NONE, SHORT, EXTENDED }

    public static final MacAddress NONE = new MacAddress(Mode.NONE, 0);

    public static MacAddress ofShort(int address) {
        return new MacAddress(Mode.SHORT, address & 0xffff);
    }

    public static MacAddress ofExtended(long address) {
        return new MacAddress(Mode.EXTENDED, address);
    }

    /** Parses {@code 00:12:4b:00:01:02:03:04} (or the same 16 hex digits without colons). */
    public static MacAddress parseExtended(String text) {
        return ofExtended(io.palisade.core.radio.IeeeAddress.parse(text));
    }

    public boolean isExtended() {
        return mode == Mode.EXTENDED;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case SHORT -> String.format(Locale.ROOT, "0x%04x", value);
            case EXTENDED -> io.palisade.core.radio.IeeeAddress.format(value);
        };
    }
}
