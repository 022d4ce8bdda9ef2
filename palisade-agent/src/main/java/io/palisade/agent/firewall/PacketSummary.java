package io.palisade.agent.firewall;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who tried to talk to whom, read off the start of a logged IPv4 or IPv6 packet: protocol, addresses and, for TCP
 * and UDP, ports (-1 otherwise, and for IPv6 packets with extension headers, which are not walked).
 */
public record PacketSummary(String protocol, String source, int sourcePort, String destination, int destinationPort) {

    private static final int TCP = 6;
    private static final int UDP = 17;

    public static PacketSummary of(byte[] packet) {
        if (packet.length < 1) {
            throw new IllegalArgumentException("an empty packet");
        }
        int version = (packet[0] & 0xff) >>> 4;
        if (version == 4) {
            int headerLength = (packet[0] & 0x0f) * 4;
            if (headerLength < 20 || packet.length < 20) {
                throw new IllegalArgumentException("an IPv4 header of " + Math.max(headerLength, 0) + " bytes in "
                        + packet.length);
            }
            return summary(packet[9] & 0xff, address(packet, 12, 4), address(packet, 16, 4), packet, headerLength);
        }
        if (version == 6) {
            if (packet.length < 40) {
                throw new IllegalArgumentException("an IPv6 header in " + packet.length + " bytes");
            }
            return summary(packet[6] & 0xff, address(packet, 8, 16), address(packet, 24, 16), packet, 40);
        }
        throw new IllegalArgumentException("an IP version of " + version);
    }

    private static PacketSummary summary(int protocol, String source, String destination, byte[] packet, int transport) {
        boolean ports = (protocol == TCP || protocol == UDP) && packet.length >= transport + 4;
        return new PacketSummary(protocol == TCP ? "tcp" : protocol == UDP ? "udp" : protocol == 1 ? "icmp"
                : protocol == 58 ? "icmpv6" : "ip-proto-" + protocol, source,
                ports ? port(packet, transport) : -1, destination, ports ? port(packet, transport + 2) : -1);
    }

    private static int port(byte[] packet, int at) {
        return ((packet[at] & 0xff) << 8) | (packet[at + 1] & 0xff);
    }

    private static String address(byte[] packet, int at, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(packet, at, at + length)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return protocol + " " + source + (sourcePort >= 0 ? ":" + sourcePort : "") + " -> " + destination
                + (destinationPort >= 0 ? ":" + destinationPort : "");
    }
}
