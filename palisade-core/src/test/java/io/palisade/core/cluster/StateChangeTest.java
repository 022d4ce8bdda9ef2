package io.palisade.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateChangeTest {

    private static StateChange parse(String json) {
        return StateChange.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_notice_round_trips_through_its_json_and_is_keyed_by_what_changed() {
        StateChange change = new StateChange(StateChange.Kind.DEVICE, "pump-7", "quarantined", "gw-a",
                Instant.parse("2026-12-04T10:15:30.5Z"));
        assertThat(StateChange.parse(change.toJson())).isEqualTo(change);
        assertThat(change.busKey()).isEqualTo("device:pump-7");
        assertThat(new StateChange(StateChange.Kind.POLICY, "profile:meter", "put", "gw-a", Instant.EPOCH).busKey())
                .isEqualTo("policy:profile:meter");
    }

    @Test
    void anything_but_a_complete_notice_is_refused_with_the_reason() {
        String good = "\"key\":\"d1\",\"change\":\"revoked\",\"origin\":\"gw-b\",\"time\":\"2026-12-04T10:00:00Z\"";
        assertThat(parse("{\"kind\":\"segment\"," + good + "}").kind()).isEqualTo(StateChange.Kind.SEGMENT);
        assertThatThrownBy(() -> parse("{" + good + "}")).hasMessageContaining("text 'kind'");
        assertThatThrownBy(() -> parse("{\"kind\":\"laser\"," + good + "}")).hasMessageContaining("unknown kind 'laser'");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\"," + good + ",\"x\":1}")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\"," + good.replace("\"d1\"", "7") + "}"))
                .hasMessageContaining("text 'key'");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\"," + good.replace("\"d1\"", "\"\"") + "}"))
                .hasMessageContaining("1 to 200");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\"," + good.replace("\"d1\"", "\"a\\nb\"") + "}"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\"," + good.replace("2026-12-04T10:00:00Z", "now") + "}"))
                .hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{\"kind\":")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> StateChange.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("{\"kind\":\"device\",\"key\":\"" + "k".repeat(1100) + "\"}"))
                .hasMessageContaining("at most 1024");
    }
}
