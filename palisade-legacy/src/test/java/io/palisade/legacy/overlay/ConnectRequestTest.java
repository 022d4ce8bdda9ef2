package io.palisade.legacy.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tunnel request head: what it accepts, and a clear reason for each way it can be wrong. */
class ConnectRequestTest {

    private static ConnectRequest parse(String head) {
        return ConnectRequest.parse(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void a_connect_to_a_device_and_port_is_read_with_or_without_headers() {
        assertThat(parse("CONNECT plc-7:502 HTTP/1.1\r\n\r\n")).isEqualTo(new ConnectRequest(
                io.palisade.core.device.DeviceId.of("plc-7"), 502));
        assertThat(parse("CONNECT plc-7:502 HTTP/1.1\r\nHost: plc-7:502\r\nUser-Agent: curl\r\n\r\n").port())
                .isEqualTo(502);
        assertThat(ConnectRequest.target("line-3.plc:10502").toString()).isEqualTo("line-3.plc:10502");
    }

    @Test
    void each_malformed_head_is_refused_with_its_reason() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\r\n")).hasMessage("only CONNECT is served here, not GET");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502\r\n\r\n"))
                .hasMessage("the request line is not 'CONNECT DEVICE:PORT HTTP/1.1'");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502 HTTP/1.1\r\n")).hasMessageContaining("does not end");
        assertThatThrownBy(() -> parse("CONNECT plc-7 HTTP/1.1\r\n\r\n")).hasMessageContaining("is not DEVICE:PORT");
        assertThatThrownBy(() -> parse("CONNECT plc-7:0 HTTP/1.1\r\n\r\n")).hasMessageContaining("is not a port");
        assertThatThrownBy(() -> parse("CONNECT plc-7:65536 HTTP/1.1\r\n\r\n")).hasMessageContaining("is not a port");
        assertThatThrownBy(() -> parse("CONNECT plc-7:+502 HTTP/1.1\r\n\r\n")).hasMessageContaining("is not a port");
        assertThatThrownBy(() -> parse("CONNECT ../etc:502 HTTP/1.1\r\n\r\n")).hasMessageContaining("not a device id");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502 HTTP/1.1\r\nno colon\r\n\r\n"))
                .hasMessage("header line 1 is not 'Name: value'");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502 HTTP/1.1\r\nX: \u00e9\r\n\r\n"))
                .hasMessageContaining("not printable ASCII");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502 HTTP/1.1\r\n" + "X: y\r\n".repeat(33) + "\r\n"))
                .hasMessage("more than 32 headers");
        assertThatThrownBy(() -> parse("CONNECT plc-7:502 HTTP/1.1\r\nX: " + "y".repeat(4100) + "\r\n\r\n"))
                .hasMessageContaining("longer than 4096 bytes");
    }

    @Test
    void the_decoder_hands_on_bytes_sent_after_the_head_and_gives_up_on_an_endless_head() {
        java.util.List<Object> seen = new java.util.ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectHeadDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object message) {
                seen.add(message instanceof io.netty.buffer.ByteBuf bytes ? bytes.toString(StandardCharsets.US_ASCII)
                        : message);
                io.netty.util.ReferenceCountUtil.release(message);
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("CONNECT plc-7:5", StandardCharsets.US_ASCII));
        assertThat(seen).as("half a head: nothing yet").isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer("02 HTTP/1.1\r\n\r\nearly", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("-and-late", StandardCharsets.US_ASCII));
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isEqualTo(ConnectRequest.target("plc-7:502"));
        assertThat(seen.get(1)).isEqualTo("early");
        assertThat(seen.get(2)).isEqualTo("-and-late");
        channel.finishAndReleaseAll();

        seen.clear();
        EmbeddedChannel endless = new EmbeddedChannel(new ConnectHeadDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object message) {
                seen.add(message);
            }
        });
        endless.writeInbound(Unpooled.wrappedBuffer(new byte[5000]));
        assertThat(seen).singleElement().isInstanceOfSatisfying(ConnectHeadDecoder.BadRequest.class,
                bad -> assertThat(bad.reason()).contains("no end of the request head within 4096 bytes"));
        endless.finishAndReleaseAll();
    }
}
