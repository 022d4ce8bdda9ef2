package io.palisade.control.http;

import io.palisade.core.Errors;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.palisade.control.service.Events;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;

/**
 * Last handler of every connection: records failed TLS handshakes (at most one event per address
 * every ten seconds, because anyone can cause them) and closes connections that fail, so that no
 * exception escapes into Netty's "unhandled" warning.
 */
@ChannelHandler.Sharable
final class ConnectionProblems extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ConnectionProblems.class.getName());

    private final Events events;
    private final KeyedRateLimiter<String> reports = new KeyedRateLimiter<>(1, 0.1, 10_000, Clock.systemUTC());

    ConnectionProblems(Events events) {
        this.events = events;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            String address = Addresses.remote(ctx.channel());
            if (reports.tryAcquire(address)) {
                events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, null, address,
                        "TLS handshake failed on the HTTPS port: " + Errors.rootMessage(handshake.cause()));
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ReadTimeoutException)) {
            LOG.log(System.Logger.Level.DEBUG, "closing HTTPS connection from " + Addresses.remote(ctx.channel())
                    + ": " + Errors.rootMessage(cause));
        }
        ctx.close();
    }

}
