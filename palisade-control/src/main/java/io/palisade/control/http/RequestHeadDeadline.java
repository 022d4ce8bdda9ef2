package io.palisade.control.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection must deliver a complete request head (request line and headers) within
 * {@code seconds} of opening, and of each response: the read timeout alone let a client that sends one
 * header line every few seconds hold a connection forever. The deadline pauses while a request is
 * being answered.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

    private final long seconds;
    private final WaitingForHead waiting;
    private ScheduledFuture<?> deadline;

    RequestHeadDeadline(long seconds, WaitingForHead waiting) {
        this.seconds = seconds;
        this.waiting = waiting;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            disarm();
            waiting.answered(ctx.channel());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            arm(ctx); // the next request's head is due within the deadline
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        waiting.answered(ctx.channel());
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        waiting.waiting(ctx.channel());
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, seconds, TimeUnit.SECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
