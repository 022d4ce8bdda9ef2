package io.palisade.agent.firewall;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declared service: {@code PROTO/PORT[@ADDRESS[/PREFIX]]}, e.g. {@code tcp/22@10.0.0.0/8}. Every part is
 * checked and re-formatted before it reaches the nftables script, so nothing an operator types is pasted into it.
 */
public record ServiceRule(String protocol, int port, Optional<InetAddress> address, int prefix) {

    private static final Pattern FORM = Pattern.compile("(tcp|udp)/([0-9]{1,5})(?:@([0-9A-Fa-f:.]+)(?:/([0-9]{1,3}))?)?");

    public ServiceRule {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("a service is tcp or udp, not " + protocol);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port is 1 to 65535, not " + port);
        }
        int bits = address.map(a -> a.getAddress().length * 8).orElse(0);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("a prefix length of " + prefix + " for " + address.map(
                    InetAddress::getHostAddress).orElse("no address"));
        }
    }

    public static ServiceRule parse(String text) {
        Matcher matcher = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not PROTO/PORT[@ADDRESS[/PREFIX]] (e.g. tcp/22@10.0.0.0/8)");
        }
        int port = Integer.parseInt(matcher.group(2));
        if (matcher.group(3) == null) {
            return new ServiceRule(matcher.group(1), port, Optional.empty(), 0);
        }
        InetAddress address = literal(matcher.group(3));
        int prefix = matcher.group(4) == null ? address.getAddress().length * 8 : Integer.parseInt(matcher.group(4));
        return new ServiceRule(matcher.group(1), port, Optional.of(address), prefix);
    }

    /** An IP address literal; never a DNS lookup. */
    static InetAddress literal(String text) {
        // Four dotted decimals exactly: Java, like inet_aton, would read "1.2.3" as 1.2.0.3.
        String octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        if (!text.matches(octet + "(\\." + octet + "){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    boolean ipv6() {
        return address.map(a -> a.getAddress().length == 16).orElse(false);
    }

    /** The nftables match, e.g. {@code ip saddr 10.0.0.0/8 tcp dport 22}; {@code peer} is saddr or daddr. */
    String match(String peer) {
        String where = address.map(a -> (ipv6() ? "ip6 " : "ip ") + peer + " " + a.getHostAddress() + "/" + prefix + " ")
                .orElse("");
        return where + protocol + " dport " + port;
    }

    @Override
    public String toString() {
        return protocol + "/" + port + address.map(a -> "@" + a.getHostAddress() + "/" + prefix).orElse("");
    }
}
