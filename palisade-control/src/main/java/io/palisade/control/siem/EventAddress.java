package io.palisade.control.siem;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event's source as a network address, when it is one: network events carry the peer's IP literal,
 * internal actions a component name, which a SIEM must not be told is an address.
 */
final class EventAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private EventAddress() {
    }

    /** The source as an IP address, or empty; never a name lookup (only literals are parsed). */
    static Optional<InetAddress> of(String source) {
        if (source == null) {
            return Optional.empty();
        }
        try {
            if (IPV4.matcher(source).matches()) {
                byte[] octets = new byte[4];
                String[] parts = source.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    octets[i] = (byte) octet;
                }
                return Optional.of(InetAddress.getByAddress(octets));
            }
            if (IPV6.matcher(source).matches()) {
                return Optional.of(InetAddress.getByName(source)); // with a colon it is parsed as IPv6, never looked up
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
