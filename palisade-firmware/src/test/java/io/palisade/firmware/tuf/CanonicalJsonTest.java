package io.palisade.firmware.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void sorts_keys_drops_whitespace_and_escapes_only_quote_and_backslash() throws Exception {
        String input = "{ \"b\": [1, true, null], \"a\": {\"z\": \"x\\\"y\\\\z\", \"é\": \"line\\nbreak\"} }";
        String canonical = new String(CanonicalJson.encode(json.readTree(input)), StandardCharsets.UTF_8);
        assertThat(canonical).isEqualTo("{\"a\":{\"z\":\"x\\\"y\\\\z\",\"é\":\"line\nbreak\"},\"b\":[1,true,null]}");
    }

    @Test
    void refuses_floats() {
        assertThatThrownBy(() -> CanonicalJson.encode(json.readTree("{\"a\": 1.5}"))).isInstanceOf(TufException.class)
                .hasMessageContaining("floats");
    }
}
