package io.palisade.agent.tamper;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Whatever a netlink socket, an input device or gpiomon delivers: the uevent parser, the input event decoder and
 * the GPIO line parser answer a value or refuse with an {@link IllegalArgumentException} that says why, never
 * anything else. Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-agent test
 * -Dtest=TamperInputFuzzTest} fuzzes.
 */
class TamperInputFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAnEventOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            Uevent.parse(bytes, bytes.length).ifPresent(event -> {
                assertThat(event.action()).isNotEmpty();
                UeventRules.signal(event);
            });
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            InputEvent.decode(ByteBuffer.wrap(bytes), 8);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            GpioLineEvent event = GpioLineEvent.parse(new String(bytes, StandardCharsets.ISO_8859_1));
            assertThat(event.offset()).isNotNegative();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
