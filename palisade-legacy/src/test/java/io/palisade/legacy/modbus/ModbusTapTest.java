package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The tap decodes requests from a stream it does not consume, across chunk boundaries, and notices broken framing. */
class ModbusTapTest {

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    @Test
    void requests_split_across_chunks_are_decoded_and_the_chunks_left_unread() {
        ModbusTap tap = new ModbusTap();
        // read holding registers 0-1 of unit 1, then write register 5 = 0x10E1, split mid-frame
        ByteBuf first = hex("000100000006010300000002" + "0002000000060106");
        ModbusTap.Seen seen = tap.feed(first);
        assertThat(first.readerIndex()).as("the tap does not consume the relayed bytes").isZero();
        assertThat(seen.requests()).singleElement().satisfies(d -> {
            assertThat(d.request().function()).isEqualTo(3);
            assertThat(ModbusTap.topic(d.request())).isEqualTo("modbus/1/3/holding-registers/0");
        });
        seen = tap.feed(hex("000510E1"));
        assertThat(seen.requests()).singleElement().satisfies(d -> {
            assertThat(d.request().writes()).isTrue();
            assertThat(d.request().describe()).isEqualTo("unit 1 function 6 (write holding-registers 5)");
        });
        assertThat(seen.broken()).isEmpty();
    }

    @Test
    void undecoded_functions_malformed_requests_and_broken_framing_are_told_apart() {
        ModbusTap tap = new ModbusTap();
        ModbusTap.Seen seen = tap.feed(hex("00010000000301" + "1400" // 20, read file record: not decoded
                + "000200000006010300000000")); // read of 0 registers: malformed
        assertThat(seen.undecoded()).containsExactly(20);
        assertThat(seen.malformed()).singleElement().asString().contains("unit 1 function 3");
        seen = tap.feed(hex("0003000700060103"));
        assertThat(seen.broken()).hasValueSatisfying(reason -> assertThat(reason).contains("protocol id 7"));
        assertThat(tap.feed(hex("000100000006010300000002")).requests()).as("nothing after broken framing").isEmpty();
    }
}
