package io.palisade.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.rollout.MemberState;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Device update reports arrive from the network: each malformed one is refused with its reason. */
class FirmwareReportsTest {

    private static FirmwareReports.Report parse(String json) {
        return FirmwareReports.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_report_names_its_roll_out_target_state_and_message() {
        FirmwareReports.Report report = parse("{\"rollout\":\"ro-1\",\"target\":\"firmware/a.img\",\"state\":\"installed\","
                + "\"message\":\"ok\"}");
        assertThat(report).isEqualTo(new FirmwareReports.Report("ro-1", "firmware/a.img", MemberState.INSTALLED, "ok"));
        assertThat(parse("{\"target\":\"firmware/a.img\",\"state\":\"failed\"}").rollout()).isEmpty();
    }

    @Test
    void malformed_reports_are_refused_with_the_reason() {
        assertThatThrownBy(() -> parse("not json")).hasMessage("not JSON");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> parse("{\"state\":\"installed\"}")).hasMessage("'target' is missing");
        assertThatThrownBy(() -> parse("{\"target\":\"x\",\"state\":\"exploded\"}")).hasMessageContaining("unknown");
        assertThatThrownBy(() -> parse("{\"target\":\"x\",\"state\":\"pending\"}")).hasMessageContaining("not a state");
        assertThatThrownBy(() -> FirmwareReports.parse(new byte[FirmwareReports.MAX_REPORT_BYTES + 1]))
                .hasMessageContaining("at most");
    }
}
