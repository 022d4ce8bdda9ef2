package io.palisade.agent.tamper;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A kernel uevent as the kernel multicasts it: {@code ACTION@DEVPATH\0} then {@code KEY=VALUE\0} pairs.
 * Messages in udev's own binary format (they start with {@code libudev\0}) are not kernel messages and are
 * skipped; anything else that does not follow the format is refused with the reason.
 */
public record Uevent(String action, String devpath, Map<String, String> properties) {

    private static final int MAX_PROPERTIES = 64;

    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** The event in {@code buffer[0, length)}, or empty for a udev-format message. */
    public static Optional<Uevent> parse(byte[] buffer, int length) {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("a uevent length of " + length + " for a buffer of " + buffer.length);
        }
        if (startsWith(buffer, length, "libudev\0")) {
            return Optional.empty();
        }
        int end = indexOfNul(buffer, 0, length);
        String header = new String(buffer, 0, end, StandardCharsets.UTF_8);
        int at = header.indexOf('@');
        if (at <= 0 || at == header.length() - 1) {
            throw new IllegalArgumentException("a uevent without an ACTION@DEVPATH header");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        int position = end + 1;
        while (position < length) {
            int next = indexOfNul(buffer, position, length);
            if (next > position) {
                String pair = new String(buffer, position, next - position, StandardCharsets.UTF_8);
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("a uevent property without KEY=VALUE: '" + printable(pair) + "'");
                }
                if (properties.size() == MAX_PROPERTIES) {
                    throw new IllegalArgumentException("a uevent with more than " + MAX_PROPERTIES + " properties");
                }
                properties.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            position = next + 1;
        }
        String action = header.substring(0, at);
        if (properties.containsKey("ACTION") && !properties.get("ACTION").equals(action)) {
            throw new IllegalArgumentException("a uevent whose header says " + printable(action) + " and ACTION says "
                    + printable(properties.get("ACTION")));
        }
        return Optional.of(new Uevent(action, header.substring(at + 1), Collections.unmodifiableMap(properties)));
    }

    private static boolean startsWith(byte[] buffer, int length, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
        if (length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (buffer[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfNul(byte[] buffer, int from, int length) {
        for (int i = from; i < length; i++) {
            if (buffer[i] == 0) {
                return i;
            }
        }
        return length;
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
