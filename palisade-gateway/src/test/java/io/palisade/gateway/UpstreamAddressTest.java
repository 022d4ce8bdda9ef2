package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The --upstream URL: scheme, default ports, credentials kept out of logs, a 3.1.1-only broker. */
class UpstreamAddressTest {

    @Test
    void defaults_and_credentials() {
        UpstreamAddress plain = UpstreamAddress.parse("mqtt://broker.example");
        assertThat(plain.port()).isEqualTo(1883);
        assertThat(plain.tls()).isFalse();
        assertThat(plain.speaksMqtt5()).isTrue();
        UpstreamAddress tls = UpstreamAddress.parse("mqtts://gw:p%40ss@broker.example");
        assertThat(tls.port()).isEqualTo(8883);
        assertThat(tls.password()).contains("p@ss");
        assertThat(tls.toString()).doesNotContain("p@ss").contains("gw@broker.example");
    }

    @Test
    void a_broker_that_speaks_only_3_1_1_is_named_in_the_query() {
        UpstreamAddress old = UpstreamAddress.parse("mqtt://broker.example:1884?mqtt=3.1.1");
        assertThat(old.speaksMqtt5()).isFalse();
        assertThat(old.port()).isEqualTo(1884);
        assertThat(old.toString()).endsWith("?mqtt=3.1.1");
        assertThat(old.withTrustAnchors(java.util.List.of()).speaksMqtt5()).isFalse();
    }

    @Test
    void qos0_lanes_are_asked_for_in_the_query_and_combine_with_the_protocol_option() {
        assertThat(UpstreamAddress.parse("mqtt://broker.example").qos0Lanes()).isFalse();
        UpstreamAddress lanes = UpstreamAddress.parse("mqtt://broker.example?lanes=qos0");
        assertThat(lanes.qos0Lanes()).isTrue();
        assertThat(lanes.speaksMqtt5()).isTrue();
        assertThat(lanes.toString()).endsWith(":1883?lanes=qos0");
        UpstreamAddress both = UpstreamAddress.parse("mqtt://broker.example?mqtt=3.1.1&lanes=qos0");
        assertThat(both.qos0Lanes()).isTrue();
        assertThat(both.speaksMqtt5()).isFalse();
        assertThat(both.toString()).endsWith("?mqtt=3.1.1&lanes=qos0");
        assertThat(UpstreamAddress.parse(both.toString())).isEqualTo(both);
        assertThatThrownBy(() -> UpstreamAddress.parse("mqtt://broker.example?lanes=qos1"))
                .hasMessageContaining("unknown option 'lanes=qos1'");
    }

    @Test
    void a_multiplexed_upstream_is_asked_for_in_the_query_and_needs_mqtt5_without_lanes() {
        assertThat(UpstreamAddress.parse("mqtt://broker.example").multiplexed()).isFalse();
        UpstreamAddress mux = UpstreamAddress.parse("mqtts://gw:s3cret@broker.example?mux=1");
        assertThat(mux.multiplexed()).isTrue();
        assertThat(mux.toString()).endsWith(":8883?mux=1").doesNotContain("s3cret");
        assertThat(mux.withTrustAnchors(java.util.List.of()).multiplexed()).isTrue();
        assertThatThrownBy(() -> UpstreamAddress.parse("mqtt://u:secret@broker.example?mqtt=3.1.1&mux=1"))
                .hasMessageContaining("mux=1 needs an MQTT 5 broker").hasMessageContaining("drop mqtt=3.1.1")
                .hasMessageNotContaining("secret@");
        assertThatThrownBy(() -> UpstreamAddress.parse("mqtt://broker.example?lanes=qos0&mux=1"))
                .hasMessageContaining("drop lanes=qos0");
    }

    @Test
    void an_unknown_option_or_scheme_is_refused_with_the_password_redacted() {
        assertThatThrownBy(() -> UpstreamAddress.parse("mqtt://u:secret@broker.example?mqtt=4"))
                .hasMessageContaining("mqtt=3.1.1").hasMessageContaining("'mqtt=4'").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> UpstreamAddress.parse("http://u:secret@broker.example"))
                .hasMessageContaining("mqtt://").hasMessageNotContaining("secret");
    }
}
