package io.palisade.radio.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.radio.ieee802154.FrameFormatException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Whatever arrives as a capture file or a ZEP datagram: the readers deliver frames of at most 127 bytes or refuse
 * with a {@link FrameFormatException} that says why, never anything else. Replayed over saved inputs in every test
 * run; {@code JAZZER_FUZZ=1 mvn -pl palisade-radio test -Dtest=CaptureFuzzTest} fuzzes.
 */
class CaptureFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyFileOrDatagramGivesFramesOrAReason(byte[] bytes) throws Exception {
        if (bytes == null) {
            return;
        }
        List<CapturedFrame> frames = new ArrayList<>();
        try {
            PcapReader.Summary summary = PcapReader.read(new ByteArrayInputStream(bytes), "fuzz", frames::add);
            assertThat(summary.frames()).isEqualTo(frames.size());
            assertThat(frames).allSatisfy(f -> assertThat(f.frame().length).isLessThanOrEqualTo(127));
        } catch (FrameFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            byte[] frame = ZepDecoder.frame(bytes);
            if (frame != null) {
                assertThat(frame.length).isLessThanOrEqualTo(125);
            }
        } catch (FrameFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            assertThat(PcapChunks.split(bytes, 60 * 1024)).isNotEmpty();
        } catch (FrameFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
