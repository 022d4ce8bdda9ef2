package io.palisade.radio.llrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Whatever a reader's connection carries: framing and the RO_ACCESS_REPORT decoder answer messages and tags or refuse
 * with an {@link LlrpFormatException} that says why, never anything else. Half the inputs go in as a stream, half as
 * a report body. Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-radio test
 * -Dtest=LlrpFuzzTest} fuzzes.
 */
class LlrpFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesGiveReportsOrAReason(byte[] bytes) throws IOException {
        if (bytes == null) {
            return;
        }
        try {
            LlrpReader reader = new LlrpReader(new ByteArrayInputStream(bytes));
            LlrpMessage message;
            while ((message = reader.next()) != null) {
                assertThat(message.body().length).isLessThan(LlrpReader.MAX_MESSAGE_BYTES);
                if (message.type() == LlrpMessage.RO_ACCESS_REPORT) {
                    RoAccessReport.parse(message.body());
                }
            }
        } catch (LlrpFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            RoAccessReport.parse(bytes).forEach(tag -> assertThat(tag.epcHex()).isNotNull());
        } catch (LlrpFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
