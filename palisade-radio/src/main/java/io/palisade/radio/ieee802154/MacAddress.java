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
        String digits = text.trim().replace(":", "").replace("-", "");
        if (digits.length() != 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an IEEE EUI-64 address (8 bytes in hex, e.g. "
                    + "00:12:4b:00:01:02:03:04)");
        }
        return ofExtended(Long.parseUnsignedLong(digits, 16));
    }

    public boolean isExtended() {
        return mode == Mode.EXTENDED;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case SHORT -> String.format(Locale.ROOT, "0x%04x", value);
            case EXTENDED -> {
                String hex = String.format(Locale.ROOT, "%016x", value);
                StringBuilder out = new StringBuilder(23);
                for (int i = 0; i < 16; i += 2) {
                    if (i > 0) {
                        out.append(':');
                    }
                    out.append(hex, i, i + 2);
                }
                yield out.toString();
            }
        };
    }
}
