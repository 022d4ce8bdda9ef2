package io.palisade.core.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An address block, {@code 10.0.0.0/24} or {@code fd00::/64} (a bare address is a block of one). Only literals are
 * accepted: a rule must never depend on a name lookup.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress parsed = IpLiteral.parse(address).orElseThrow(() ->
                new IllegalArgumentException("'" + text + "' is not an IP address or address block (such as 10.0.0.0/24)"));
        byte[] bytes = parsed.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bytes.length * 8);
            }
        }
        return new Cidr(masked(bytes, prefix), prefix);
    }

    /** Whether {@code address} (a literal) lies in this block; false for anything that is not a literal. */
    public boolean contains(String address) {
        Optional<InetAddress> parsed = IpLiteral.parse(address);
        if (parsed.isEmpty() || parsed.get().getAddress().length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(masked(parsed.get().getAddress(), prefix), network);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - bits)));
        }
        return out;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefix == that.prefix && java.util.Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }
}
