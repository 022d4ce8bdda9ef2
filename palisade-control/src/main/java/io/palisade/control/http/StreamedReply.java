package io.palisade.control.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a {@link ReplyStream}: the head (chunked, never cached), then whatever the stream sends, until the client
 * leaves, the stream closes, or the client falls {@value #MAX_UNWRITTEN} chunks behind. A streamed reply is the
 * last on its connection. The connection's read timeout and request-head deadline are lifted first: the client of an
 * event stream sends nothing more, and the deadline would otherwise close it once the head is written.
 */
final class StreamedReply implements ReplyStream.Sink {

    static final int MAX_UNWRITTEN = 1000;

    private final Channel channel;
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private StreamedReply(Channel channel) {
        this.channel = channel;
    }

    static void start(ChannelHandlerContext ctx, HttpResponse head, ReplyStream stream) {
        for (String deadline : new String[] {"read-timeout", "head-deadline"}) {
            if (ctx.pipeline().get(deadline) != null) {
                ctx.pipeline().remove(deadline);
            }
        }
        // A streamed reply is the connection's last: anything more the client sends is read (so that its leaving is
        // noticed at once) and dropped, never answered into the middle of the stream.
        if (ctx.pipeline().get("dispatch") != null) {
            ctx.pipeline().replace("dispatch", "after-stream", new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ignored, Object message) {
                    io.netty.util.ReferenceCountUtil.release(message);
                }
            });
        }
        HttpUtil.setTransferEncodingChunked(head, true);
        HttpUtil.setKeepAlive(head, false);
        StreamedReply sink = new StreamedReply(ctx.channel());
        ctx.writeAndFlush(head);
        Runnable onClose = stream.open(sink);
        ctx.channel().closeFuture().addListener(done -> {
            sink.closed.set(true);
            onClose.run();
        });
    }

    static HttpResponse head(HttpReply reply) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        return head;
    }

    @Override
    public boolean send(String text) {
        if (closed.get()) {
            return false;
        }
        if (unwritten.incrementAndGet() > MAX_UNWRITTEN) {
            close();
            return false;
        }
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)))
                .addListener(done -> unwritten.decrementAndGet());
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && channel.isActive();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
