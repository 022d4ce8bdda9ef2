package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.palisade.core.modbus.ModbusAccess;
import io.palisade.core.modbus.ModbusTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MBAP framing across arbitrary TCP segments, and each function's PDU read into what it touches. */
class ModbusCodecTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void frames_are_cut_from_any_segmentation_and_broken_framing_stops_decoding() {
        EmbeddedChannel channel = new EmbeddedChannel(new MbapFrameDecoder());
        byte[] two = bytes(0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2, /* second */ 0, 2, 0, 0, 0, 6, 9, 3, 0, 4, 0, 1);
        for (byte b : two) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        MbapFrame first = channel.readInbound();
        MbapFrame second = channel.readInbound();
        assertThat(first.transaction()).isEqualTo(1);
        assertThat(first.pdu()).containsExactly(bytes(3, 0, 0, 0, 2));
        assertThat(second.unit()).isEqualTo(9);
        assertThat(second.raw()).containsExactly(java.util.Arrays.copyOfRange(two, 12, 24));

        channel.writeInbound(Unpooled.wrappedBuffer(bytes(0, 3, 0, 0, 1, 0, 1)));
        MalformedFrame broken = channel.readInbound();
        assertThat(broken.reason()).isEqualTo("MBAP length 256 (a unit id and a PDU of 1-253 bytes make 2-254)");
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(0, 4, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1)));
        assertThat((Object) channel.readInbound()).as("nothing after broken framing").isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void each_function_is_read_into_its_table_range_and_values() {
        assertThat(ModbusPdus.parse(1, bytes(1, 0, 10, 0x07, 0xD0)).request().orElseThrow().accesses())
                .containsExactly(ModbusAccess.read(ModbusTable.COILS, 10, 2000));
        assertThat(ModbusPdus.parse(1, bytes(4, 0, 0, 0, 125)).request().orElseThrow().accesses())
                .containsExactly(ModbusAccess.read(ModbusTable.INPUT_REGISTERS, 0, 125));
        assertThat(ModbusPdus.parse(1, bytes(5, 0, 7, 0xFF, 0)).request().orElseThrow().accesses())
                .containsExactly(ModbusAccess.write(ModbusTable.COILS, 7, new int[] {1}));
        assertThat(ModbusPdus.parse(1, bytes(15, 0, 0, 0, 10, 2, 0b0000_0101, 0b10)).request().orElseThrow()
                .accesses().get(0).values()).containsExactly(1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
        assertThat(ModbusPdus.parse(1, bytes(16, 0, 100, 0, 2, 4, 0x01, 0x02, 0xFF, 0xFF)).request().orElseThrow()
                .accesses()).containsExactly(ModbusAccess.write(ModbusTable.HOLDING_REGISTERS, 100, new int[] {258, 65535}));
        assertThat(ModbusPdus.parse(1, bytes(23, 0, 0, 0, 3, 0, 50, 0, 1, 2, 0, 9)).request().orElseThrow().accesses())
                .containsExactly(ModbusAccess.read(ModbusTable.HOLDING_REGISTERS, 0, 3),
                        ModbusAccess.write(ModbusTable.HOLDING_REGISTERS, 50, new int[] {9}));
        assertThat(ModbusPdus.parse(1, bytes(43, 14, 1, 0)).request().orElseThrow().accesses()).isEmpty();
        assertThat(ModbusPdus.parse(1, bytes(8, 0, 0, 0x12, 0x34)).request().orElseThrow().function()).isEqualTo(8);
    }

    @Test
    void plc_routes_give_each_unit_at_most_one_plc() {
        PlcRoutes routes = PlcRoutes.parse(List.of("1-5=127.0.0.1:5020", "7=127.0.0.1:5021"));
        assertThat(routes.plcFor(3)).contains(new java.net.InetSocketAddress("127.0.0.1", 5020));
        assertThat(routes.plcFor(6)).isEmpty();
        assertThat(routes.describe()).isEqualTo("units 1-5 -> 127.0.0.1:5020, units 7 -> 127.0.0.1:5021");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlcRoutes.parse(List.of("1-5=127.0.0.1:1",
                "5=127.0.0.1:2"))).hasMessageContaining("unit 5 is served by two PLCs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlcRoutes.parse(List.of("127.0.0.1")))
                .hasMessageContaining("a PLC is HOST:PORT or UNITS=HOST:PORT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlcRoutes.parse(List.of("300=127.0.0.1:1")))
                .hasMessageContaining("must lie within 0-255");
    }

    @Test
    void malformed_and_over_limit_requests_are_violations_with_the_reason() {
        for (Object[] bad : List.of(
                new Object[] {bytes(3, 0, 0, 0, 0), "function 3 asks for 0 items (1-125)", 3},
                new Object[] {bytes(1, 0, 0, 0x07, 0xD1), "function 1 asks for 2001 items (1-2000)", 3},
                new Object[] {bytes(15, 0, 0, 0x07, 0xB1, 0xF7), "function 15 asks for 1969 items (1-1968)", 3},
                new Object[] {bytes(16, 0, 0, 0, 124, 248), "function 16 asks for 124 items (1-123)", 3},
                new Object[] {bytes(3, 0, 0, 0), "function 3 with a PDU of 4 bytes (it has 5)", 3},
                new Object[] {bytes(5, 0, 0, 0x12, 0x34), "a single coil written as 0x1234 (only 0x0000 and 0xFF00"
                        + " mean off and on)", 3},
                new Object[] {bytes(3, 0xFF, 0xFF, 0, 2), "function 3: addresses 65535 to 65536 are outside 0-65535", 2},
                new Object[] {bytes(0x83, 0, 0, 0, 1), "function 131 is not one Palisade inspects (an exception response"
                        + " sent as a request)", 1},
                new Object[] {bytes(), "an empty PDU", 1})) {
            ParsedPdu parsed = ModbusPdus.parse(1, (byte[]) bad[0]);
            assertThat(parsed.request()).isEmpty();
            assertThat(parsed.violation()).isEqualTo(bad[1]);
            assertThat(parsed.exceptionCode()).isEqualTo(bad[2]);
        }
    }
}
