package io.palisade.radio.llrp;

import static io.palisade.radio.llrp.LlrpBytes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RoAccessReportTest {

    private static final String EPC = "35AABBCCDDEEFF0011223344";

    @Test
    void a_report_yields_each_tag_with_antenna_and_first_seen_time() throws Exception {
        long micros = Instant.parse("2026-12-03T10:00:00.250Z").toEpochMilli() * 1000;
        byte[] message = roAccessReport(7,
                tagReportData(epc96(EPC), tv(9, new byte[4]), antenna(2), peakRssi(-60), firstSeenUtc(micros),
                        tv(8, new byte[2])),
                tagReportData(epcData(96, "300833B2DDD9014000000001"), tlv(1023, new byte[]{1, 2, 3, 4, 5, 6})),
                tlv(242, new byte[8])); // RFSurveyReportData: skipped
        LlrpMessage parsed = new LlrpReader(new ByteArrayInputStream(message)).next();
        assertThat(parsed.type()).isEqualTo(LlrpMessage.RO_ACCESS_REPORT);
        assertThat(parsed.id()).isEqualTo(7);
        var tags = RoAccessReport.parse(parsed.body());
        assertThat(tags).hasSize(2);
        assertThat(tags.get(0).epcHex()).isEqualTo(EPC);
        assertThat(tags.get(0).antenna()).hasValue(2);
        assertThat(tags.get(0).firstSeen()).contains(Instant.parse("2026-12-03T10:00:00.250Z"));
        assertThat(tags.get(1).epcHex()).isEqualTo("300833B2DDD9014000000001");
        assertThat(tags.get(1).antenna()).isEmpty();
    }

    @Test
    void malformed_reports_are_refused_with_the_reason() throws Exception {
        assertThatThrownBy(() -> RoAccessReport.parse(tagReportData(antenna(1)))).hasMessageContaining("without an EPC");
        assertThatThrownBy(() -> RoAccessReport.parse(tagReportData(tv(99, new byte[0]))))
                .hasMessageContaining("TV parameter type 99");
        byte[] truncated = tagReportData(epc96(EPC));
        truncated[3] = (byte) (truncated[3] + 5);
        assertThatThrownBy(() -> RoAccessReport.parse(truncated)).hasMessageContaining("claims");
        assertThatThrownBy(() -> RoAccessReport.parse(tagReportData(epcData(200, "00")))).hasMessageContaining("200 bits");
        byte[] wrongVersion = roAccessReport(1);
        wrongVersion[0] = (byte) 0x1c; // version 7
        assertThatThrownBy(() -> new LlrpReader(new ByteArrayInputStream(wrongVersion)).next())
                .hasMessageContaining("version 7");
        byte[] huge = HexFormat.of().parseHex("043d7fffffff00000001");
        assertThatThrownBy(() -> new LlrpReader(new ByteArrayInputStream(huge)).next()).hasMessageContaining("outside");
    }
}
