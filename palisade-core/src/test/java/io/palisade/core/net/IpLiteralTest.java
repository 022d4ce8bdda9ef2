package io.palisade.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void onlyAddressLiteralsAreAddressesAndNoNameIsLookedUp() {
        assertThat(IpLiteral.parse("192.0.2.7")).map(a -> a.getHostAddress()).contains("192.0.2.7");
        assertThat(IpLiteral.parse("2001:db8::1")).isPresent();
        assertThat(IpLiteral.parse("::1")).isPresent();
        assertThat(IpLiteral.parse("999.1.1.1")).isEmpty();
        assertThat(IpLiteral.parse("control-plane")).isEmpty();
        assertThat(IpLiteral.parse("localhost")).isEmpty();
        assertThat(IpLiteral.parse("1.2.3")).isEmpty();
        assertThat(IpLiteral.parse("")).isEmpty();
        assertThat(IpLiteral.parse(null)).isEmpty();
    }
}
