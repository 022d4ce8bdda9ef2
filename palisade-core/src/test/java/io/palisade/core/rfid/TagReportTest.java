package io.palisade.core.rfid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TagReportTest {

    private static final DeviceId READER = DeviceId.of("reader-a");
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void a_report_lists_its_sightings_with_time_and_antenna() {
        var sightings = TagReport.parse(READER, ("{\"tags\":[{\"epc\":\"35aabbccddeeff0011223344\",\"time\":"
                + "\"2026-12-03T09:59:58Z\",\"antenna\":2},{\"epc\":\"300833B2DDD9014000000001\"}]}")
                .getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(sightings).hasSize(2);
        assertThat(sightings.get(0).token().hex()).isEqualTo("35AABBCCDDEEFF0011223344");
        assertThat(sightings.get(0).token().hasTokenLayout()).isTrue();
        assertThat(sightings.get(0).time()).isEqualTo(Instant.parse("2026-12-03T09:59:58Z"));
        assertThat(sightings.get(0).antenna()).isEqualTo(2);
        assertThat(sightings.get(1).time()).as("no time: when it arrived").isEqualTo(NOW);
        assertThat(sightings.get(1).token().hasTokenLayout()).as("an SGTIN-96: some other system's tag").isFalse();
    }

    @Test
    void malformed_reports_are_refused_whole_with_the_reason() {
        assertThatThrownBy(() -> parse("nope")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("{\"tag\":[]}")).hasMessageContaining("\"tags\" array");
        assertThatThrownBy(() -> parse("{\"tags\":[{\"epc\":\"35\"}]}")).hasMessageContaining("tag 0");
        assertThatThrownBy(() -> parse("{\"tags\":[{\"epc\":\"35aabbccddeeff0011223344\",\"time\":\"noon\"}]}"))
                .hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> TagReport.parse(READER, new byte[TagReport.MAX_BYTES + 1], NOW))
                .hasMessageContaining("over");
    }

    @Test
    void tokens_are_random_with_the_gid96_header() {
        RfidToken a = RfidToken.generate();
        RfidToken b = RfidToken.generate();
        assertThat(a.hex()).matches("35[0-9A-F]{22}");
        assertThat(a).isNotEqualTo(b);
    }

    private static Object parse(String json) {
        return TagReport.parse(READER, json.getBytes(StandardCharsets.UTF_8), NOW);
    }
}
