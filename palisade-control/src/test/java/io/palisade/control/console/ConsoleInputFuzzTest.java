package io.palisade.control.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.http.HttpCall;
import java.util.List;
import java.util.Map;

/**
 * What a browser (or anyone) sends the console: form bodies, the features text of alerts drawn as bars, timeline
 * filters and the page to return to after login. Each is read or refused with a reason; nothing throws anything else,
 * and the return address never leaves the site. Replayed over saved inputs in every test run;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-control test -Dtest=ConsoleInputFuzzTest} fuzzes.
 */
class ConsoleInputFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void aFormBodyIsReadOrRefusedWithAReason(byte[] body) {
        if (body == null) {
            return; // a request always has a body, possibly empty
        }
        HttpCall call = new HttpCall("POST", "/login", Map.of(), Map.of("content-type",
                "application/x-www-form-urlencoded"), body, "127.0.0.1", List.of());
        try {
            Map<String, String> fields = FormBody.parse(call);
            assertThat(fields.size()).isLessThanOrEqualTo(FormBody.MAX_FIELDS);
            fields.values().forEach(value -> assertThat(value.length()).isLessThanOrEqualTo(FormBody.MAX_VALUE_CHARS));
        } catch (ApiFailure refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void featuresAreDrawnWithinTheBar(String features, double low, double high) {
        if (features == null) {
            return; // the API always answers a string (possibly empty)
        }
        var normal = JSON.createObjectNode();
        for (String name : List.of("publish_rate", "payload_bytes", "a")) {
            normal.putObject(name).put("low", low).put("high", high);
        }
        for (FeatureBar bar : FleetPages.bars(features, normal)) {
            for (int x : new int[] {bar.lowX(), bar.valueX()}) {
                assertThat(x).isBetween(0, FeatureBar.WIDTH);
            }
            assertThat(bar.valueText()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void theReturnAddressStaysOnTheSite(String next) {
        String safe = LoginPages.safeNext(next);
        assertThat(safe).startsWith("/").doesNotStartWith("//").doesNotStartWith("/\\");
        assertThat(safe.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
