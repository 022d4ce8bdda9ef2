package io.palisade.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirewallPolicyTest {

    @Test
    void the_policy_renders_one_atomic_table_with_the_gateway_the_services_and_counted_drops() throws Exception {
        FirewallPolicy policy = new FirewallPolicy(List.of(InetAddress.getByName("10.0.0.1"),
                InetAddress.getByName("fd00::1")), List.of(8883, 8443),
                List.of(ServiceRule.parse("tcp/22@10.0.0.0/8"), ServiceRule.parse("udp/161")),
                List.of(ServiceRule.parse("udp/123@fd00::123")), 7301);
        String script = policy.render();
        assertThat(script).startsWith("table inet palisade\ndelete table inet palisade\ntable inet palisade {\n");
        assertThat(script).contains("    ip saddr 10.0.0.0/8 tcp dport 22 accept\n")
                .contains("    udp dport 161 accept\n")
                .contains("    ip daddr { 10.0.0.1 } tcp dport { 8883, 8443 } accept\n")
                .contains("    ip6 daddr { fd00:0:0:0:0:0:0:1 } tcp dport { 8883, 8443 } accept\n")
                .contains("    ip6 daddr fd00:0:0:0:0:0:0:123/128 udp dport 123 accept\n")
                .contains("log prefix \"in\" group 7301\n    counter name \"blocked_in\" drop\n")
                .contains("log prefix \"out\" group 7301\n    counter name \"blocked_out\" drop\n");
        assertThat(script.indexOf("tcp dport 22")).as("services before the drop").isLessThan(script.indexOf("blocked_in\" drop"));
    }

    @Test
    void a_service_that_is_not_exactly_proto_port_address_is_refused_so_nothing_typed_reaches_nft() {
        assertThat(ServiceRule.parse("TCP/22@10.1.2.3").toString()).isEqualTo("tcp/22@10.1.2.3/32");
        for (String bad : List.of("tcp/22; flush ruleset", "tcp/22@10.0.0.0/8 accept", "icmp/1", "tcp/0", "tcp/65536",
                "tcp/22@example.com", "tcp/22@10.0.0.0/33", "tcp/22@fd00::/129", "tcp/22@", "tcp22", "tcp/22@1.2.3")) {
            assertThatThrownBy(() -> ServiceRule.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new FirewallPolicy(List.of(), List.of(8883), List.of(), List.of(), 1))
                .hasMessageContaining("gateway");
        assertThatThrownBy(() -> new FirewallPolicy(List.of(InetAddress.getLoopbackAddress()), List.of(0), List.of(),
                List.of(), 1)).hasMessageContaining("1 to 65535");
    }
}
