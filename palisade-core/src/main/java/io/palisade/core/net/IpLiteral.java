package io.palisade.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address written as text (IPv4 dotted quad or IPv6), parsed without ever looking a name up: event sources,
 * where network events carry the peer's address and internal actions a component name, and host names given for a
 * certificate, where an address goes into an iPAddress entry and a name into a dNSName one.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpLiteral() {
    }

    /** The source as an IP address, or empty; never a name lookup (only literals are parsed). */
    public static Optional<InetAddress> parse(String source) {
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
