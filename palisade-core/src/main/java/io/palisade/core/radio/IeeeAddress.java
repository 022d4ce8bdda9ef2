package io.palisade.core.radio;

import java.util.Locale;

/** IEEE EUI-64 addresses as operators and Wireshark write them: {@code 00:12:4b:00:01:02:03:04}. */
public final class IeeeAddress {

    private IeeeAddress() {
    }

    /** Parses 16 hex digits, with or without {@code :} or {@code -} between bytes. */
    public static long parse(String text) {
        String digits = text.trim().replace(":", "").replace("-", "");
        if (digits.length() != 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an IEEE EUI-64 address (8 bytes in hex, e.g. "
                    + "00:12:4b:00:01:02:03:04)");
        }
        return Long.parseUnsignedLong(digits, 16);
    }

    public static String format(long address) {
        String hex = String.format(Locale.ROOT, "%016x", address);
        StringBuilder out = new StringBuilder(23);
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }
}
