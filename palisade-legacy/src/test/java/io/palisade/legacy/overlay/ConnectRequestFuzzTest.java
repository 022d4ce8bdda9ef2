package io.palisade.legacy.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Whatever a tunnel client sends first: the head decoder never throws, emits at most one request or one refusal with
 * a reason, and a request names a valid device and port. Replayed over saved inputs in every test run;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-legacy test -Dtest=ConnectRequestFuzzTest} fuzzes.
 */
class ConnectRequestFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyFirstBytesGiveARequestOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectHeadDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        Object first = channel.readInbound();
        if (first instanceof ConnectRequest request) {
            assertThat(request.port()).isBetween(1, 65535);
            assertThat(io.palisade.core.device.DeviceId.isValid(request.device().value())).isTrue();
        } else if (first instanceof ConnectHeadDecoder.BadRequest bad) {
            assertThat(bad.reason()).isNotBlank();
        } else if (first != null) {
            throw new AssertionError("bytes before a head: " + first);
        }
        channel.finishAndReleaseAll();
    }
}
