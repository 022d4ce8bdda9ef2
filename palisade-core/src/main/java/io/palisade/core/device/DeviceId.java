package io.palisade.core.device;

import java.util.regex.Pattern;

/**
 * A device identifier as it appears in certificates (subject CN, SAN URI {@code urn:palisade:device:ID}),
 * MQTT client ids and topic names.
 *
 * <p>The alphabet is deliberately narrow: an id ends up inside X.500 names, URIs, topic filters and
 * log lines, so it may not contain wildcards, separators, whitespace or anything that needs escaping.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {

    /** Maximum length; long enough for serial numbers and MAC-derived names, short enough for CN (64). */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** URI prefix used in the subjectAltName of device certificates. */
    public static final String URN_PREFIX = "urn:palisade:device:";

    public DeviceId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid device id " + quoteForError(value)
                    + ": use 1-64 characters from A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
    }

    public static DeviceId of(String value) {
        return new DeviceId(value);
    }

    /** True when {@code value} would be accepted by the constructor. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public String urn() {
        return URN_PREFIX + value;
    }

    @Override
    public int compareTo(DeviceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Quotes untrusted input for an error message without letting it forge log lines. */
    static String quoteForError(String untrusted) {
        if (untrusted == null) {
            return "(none)";
        }
        String cut = untrusted.length() > 80 ? untrusted.substring(0, 80) + "..." : untrusted;
        StringBuilder out = new StringBuilder("'");
        for (char c : cut.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.append('\'').toString();
    }
}
