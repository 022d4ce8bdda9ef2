package io.palisade.control.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.palisade.control.service.Events;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.ConnectionBudget;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;
import java.util.Optional;

/**
 * First handler of every HTTPS connection, before any TLS work: connections over the per-address
 * attempt rate, the per-address cap or the port's total (its share of the process's file descriptors)
 * are closed at once, with at most one {@code quota.exceeded} event per address every ten seconds.
 * Without it, ~20,000 idle connections took every descriptor and the MQTT port with them.
 */
@ChannelHandler.Sharable
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("palisade.https-counted-address");

    private final ConnectionBudget budget;
    private final Events events;
    private final KeyedRateLimiter<String> reports = new KeyedRateLimiter<>(1, 0.1, 10_000, Clock.systemUTC());

    HttpConnectionGuard(ConnectionBudget budget, Events events) {
        this.budget = budget;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = Addresses.remote(ctx.channel());
        Optional<String> refusal = budget.admit(address);
        if (refusal.isPresent()) {
            if (reports.tryAcquire(address)) {
                events.emit(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address, refusal.get());
            }
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            budget.release(address);
        }
        super.channelInactive(ctx);
    }
}
