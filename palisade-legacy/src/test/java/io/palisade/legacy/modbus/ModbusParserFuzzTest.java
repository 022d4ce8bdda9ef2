package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.palisade.core.modbus.ModbusAccess;

/**
 * Whatever bytes a Modbus client sends: the framer never throws and never makes a frame longer than 260 bytes, and
 * each PDU is read or refused with a reason and an exception code from 1 to 3. Replayed over saved inputs in every
 * test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-legacy test -Dtest=ModbusParserFuzzTest} fuzzes.
 */
class ModbusParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesAreFramedAndEveryPduReadOrRefused(byte[] stream) {
        if (stream == null) {
            return;
        }
        EmbeddedChannel channel = new EmbeddedChannel(new MbapFrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(stream));
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            if (message instanceof MbapFrame frame) {
                assertThat(frame.raw().length).isBetween(8, 260);
                ParsedPdu parsed = ModbusPdus.parse(frame.unit(), frame.pdu());
                if (parsed.request().isPresent()) {
                    for (ModbusAccess access : parsed.request().get().accesses()) {
                        assertThat(access.lastAddress()).isLessThanOrEqualTo(0xFFFF);
                    }
                } else {
                    assertThat(parsed.violation()).isNotBlank();
                    assertThat(parsed.exceptionCode()).isBetween(1, 3);
                }
            } else {
                assertThat(message).isInstanceOf(MalformedFrame.class);
            }
        }
        channel.finishAndReleaseAll();
    }
}
