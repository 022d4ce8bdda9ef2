package io.palisade.agent.tamper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The two local sensor formats: evdev's {@code struct input_event} and gpiomon's event lines. */
class DeviceInputTest {

    @Test
    void an_input_event_decodes_in_native_order_on_64_and_32_bit_layouts() {
        ByteBuffer wide = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder())
                .putLong(1_700_000_000L).putLong(250_000).putShort((short) 5).putShort((short) 0).putInt(1);
        wide.flip();
        assertThat(InputEvent.decode(wide, 8)).isEqualTo(new InputEvent(1_700_000_000L, 250_000, 5, 0, 1));
        ByteBuffer narrow = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putInt(7).putInt(8).putShort((short) 0xffff).putShort((short) 0x0f).putInt(-1);
        narrow.flip();
        assertThat(InputEvent.decode(narrow, 4)).isEqualTo(new InputEvent(7, 8, 0xffff, 0x0f, -1));
        assertThat(InputEvent.switchName(0x0f)).isEqualTo("SW_MACHINE_COVER");
        assertThatThrownBy(() -> InputEvent.decode(ByteBuffer.allocate(23), 8)).hasMessageContaining("24 bytes");
        assertThatThrownBy(() -> InputEvent.decode(ByteBuffer.allocate(24), 2)).hasMessageContaining("C long");
    }

    @Test
    void gpiomon_is_asked_for_the_format_of_its_libgpiod_version() {
        assertThat(GpioLines.gpiomon(1, "gpiochip0", java.util.List.of(17, 18), true)).containsExactly("gpiomon",
                "--line-buffered", "--format=%e %o %s %n", "--rising-edge", "gpiochip0", "17", "18");
        assertThat(GpioLines.gpiomon(2, "gpiochip0", java.util.List.of(17), false)).containsExactly("gpiomon",
                "--chip", "gpiochip0", "--edges", "falling", "--debounce-period", "10ms", "--format=%e %o %S", "17");
    }

    @Test
    void gpiomon_lines_parse_and_anything_else_is_refused_with_the_reason() {
        assertThat(GpioLineEvent.parse("1 17 1234 500000000")).isEqualTo(new GpioLineEvent(true, 17, 1234, 500_000_000));
        assertThat(GpioLineEvent.parse("  0 3 0 0 ")).isEqualTo(new GpioLineEvent(false, 3, 0, 0));
        assertThat(GpioLineEvent.parse("2 17 1234.000000042")).as("libgpiod 2: 2 is falling")
                .isEqualTo(new GpioLineEvent(false, 17, 1234, 42));
        assertThat(GpioLineEvent.parse("1 5 7.5").rising()).isTrue();
        assertThatThrownBy(() -> GpioLineEvent.parse("0 5 7.5")).hasMessageContaining("1 (rising) or 2 (falling)");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 5 7")).hasMessageContaining("SECONDS.NANOSECONDS");
        assertThatThrownBy(() -> GpioLineEvent.parse("RISING 17 1 1")).hasMessageContaining("0 (falling) or 1");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 17")).hasMessageContaining("got 2 fields");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 x 1 1")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 -1 1 1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 1 1 1000000000")).hasMessageContaining("impossible");
        assertThatThrownBy(() -> GpioLineEvent.parse("1 1 1 " + "9".repeat(200))).hasMessageContaining("characters");
    }
}
