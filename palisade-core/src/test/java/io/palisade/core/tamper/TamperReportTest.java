package io.palisade.core.tamper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TamperReportTest {

    private static TamperReport parse(String json) {
        return TamperReport.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_report_round_trips_through_its_json() {
        TamperReport report = new TamperReport(DeviceId.of("rtu-7"), 42, Instant.parse("2026-12-03T10:15:30.5Z"),
                TamperSensor.SWITCH, "SW_LID", "switch turned on at /dev/input/event3");
        assertThat(TamperReport.parse(report.toJson())).isEqualTo(report);
    }

    @Test
    void anything_but_a_complete_report_is_refused_with_the_reason() {
        String good = "\"device\":\"d1\",\"time\":\"2026-12-03T10:00:00Z\",\"sensor\":\"usb\",\"name\":\"/x\","
                + "\"detail\":\"\"";
        assertThat(parse("{" + good + ",\"counter\":1}").sensor()).isEqualTo(TamperSensor.USB);
        assertThatThrownBy(() -> parse("{" + good + "}")).hasMessageContaining("integer 'counter'");
        assertThatThrownBy(() -> parse("{" + good + ",\"counter\":1.5}")).hasMessageContaining("integer 'counter'");
        assertThatThrownBy(() -> parse("{" + good + ",\"counter\":\"1\"}")).hasMessageContaining("integer 'counter'");
        assertThatThrownBy(() -> parse("{" + good + ",\"counter\":99999999999999999999}"))
                .hasMessageContaining("integer 'counter'");
        assertThatThrownBy(() -> parse("{" + good + ",\"counter\":0}")).hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("{" + good + ",\"counter\":1,\"extra\":1}")).hasMessageContaining("'extra'");
        assertThatThrownBy(() -> parse("{" + good.replace("usb", "laser") + ",\"counter\":1}"))
                .hasMessageContaining("unknown sensor 'laser'");
        assertThatThrownBy(() -> parse("{" + good.replace("2026-12-03T10:00:00Z", "yesterday") + ",\"counter\":1}"))
                .hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> parse("{" + good.replace("\"/x\"", "\"" + "n".repeat(129) + "\"") + ",\"counter\":1}"))
                .hasMessageContaining("1 to 128");
        assertThatThrownBy(() -> parse("{" + good.replace("\"d1\"", "\"../etc\"") + ",\"counter\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TamperReport.parse(new byte[2049])).hasMessageContaining("2049 bytes");
    }
}
