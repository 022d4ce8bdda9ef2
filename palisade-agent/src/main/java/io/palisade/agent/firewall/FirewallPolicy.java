package io.palisade.agent.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the device may talk to: its gateway (the MQTT and HTTPS ports at the gateway's addresses), the declared
 * inbound and outbound services; everything else is dropped, counted and sampled to NFLOG {@code logGroup}.
 * Loopback and replies to allowed connections pass; so does ICMPv6 (IPv6 cannot find its neighbours without it).
 */
public record FirewallPolicy(List<InetAddress> gateway, List<Integer> gatewayPorts, List<ServiceRule> allowIn,
                             List<ServiceRule> allowOut, int logGroup) {

    public static final String TABLE = "palisade";
    /** Samples per second the kernel logs at most, per direction; the counters count every packet. */
    static final int SAMPLES_PER_SECOND = 20;

    public FirewallPolicy {
        gateway = List.copyOf(gateway);
        gatewayPorts = List.copyOf(gatewayPorts);
        allowIn = List.copyOf(allowIn);
        allowOut = List.copyOf(allowOut);
        if (gateway.isEmpty()) {
            throw new IllegalArgumentException("a firewall policy needs the gateway's address");
        }
        for (int port : gatewayPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a gateway port is 1 to 65535, not " + port);
            }
        }
        if (logGroup < 1 || logGroup > 65535) {
            throw new IllegalArgumentException("an NFLOG group is 1 to 65535, not " + logGroup);
        }
    }

    /**
     * The whole table as one nftables script: creating the table first makes the delete succeed on a first run,
     * and {@code nft -f} applies the file as one transaction, so there is no moment without rules.
     */
    public String render() {
        List<String> out = new ArrayList<>();
        out.add("table inet " + TABLE);
        out.add("delete table inet " + TABLE);
        out.add("table inet " + TABLE + " {");
        out.add("  counter blocked_in { }");
        out.add("  counter blocked_out { }");
        out.add("  chain input {");
        out.add("    type filter hook input priority filter; policy drop;");
        common(out, "iif");
        allowIn.forEach(rule -> out.add("    " + rule.match("saddr") + " accept"));
        blocked(out, "in");
        out.add("  }");
        out.add("  chain output {");
        out.add("    type filter hook output priority filter; policy drop;");
        common(out, "oif");
        String ports = gatewayPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        List<String> v4 = gateway.stream().filter(a -> !(a instanceof Inet6Address)).map(InetAddress::getHostAddress)
                .toList();
        List<String> v6 = gateway.stream().filter(a -> a instanceof Inet6Address).map(InetAddress::getHostAddress)
                .toList();
        if (!v4.isEmpty()) {
            out.add("    ip daddr { " + String.join(", ", v4) + " } tcp dport { " + ports + " } accept");
        }
        if (!v6.isEmpty()) {
            out.add("    ip6 daddr { " + String.join(", ", v6) + " } tcp dport { " + ports + " } accept");
        }
        allowOut.forEach(rule -> out.add("    " + rule.match("daddr") + " accept"));
        blocked(out, "out");
        out.add("  }");
        out.add("}");
        return String.join("\n", out) + "\n";
    }

    private static void common(List<String> out, String loopback) {
        out.add("    ct state established,related accept");
        out.add("    " + loopback + " \"lo\" accept");
        out.add("    meta l4proto ipv6-icmp accept");
    }

    private void blocked(List<String> out, String direction) {
        out.add("    limit rate " + SAMPLES_PER_SECOND + "/second burst " + (2 * SAMPLES_PER_SECOND)
                + " packets log prefix \"" + direction + "\" group " + logGroup);
        out.add("    counter name \"blocked_" + direction + "\" drop");
    }
}
