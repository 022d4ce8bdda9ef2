package io.palisade.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First handler of every device connection, before any TLS work: refuses connections over the
 * per-address attempt rate, the per-address concurrency limit or the global limit, so that a flood
 * of connections costs a close, not a handshake.
 */
@ChannelHandler.Sharable
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("palisade.counted-address");

    private final GatewayLimits limits;
    private final GatewayEvents events;
    private final KeyedRateLimiter<String> attempts;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    ConnectionGuard(GatewayLimits limits, GatewayEvents events, Clock clock) {
        this.limits = limits;
        this.events = events;
        this.attempts = new KeyedRateLimiter<>(Math.max(1, limits.connectsPerSecondPerAddress() * 2),
                limits.connectsPerSecondPerAddress(), 100_000, clock);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = Addresses.remote(ctx.channel());
        String refusal = admit(address);
        if (refusal != null) {
            events.emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address, refusal);
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        super.channelActive(ctx);
    }

    private String admit(String address) {
        if (!attempts.tryAcquire(address)) {
            return "connection attempts from " + address + " exceed " + limits.connectsPerSecondPerAddress() + "/s";
        }
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            return "gateway is at its limit of " + limits.maxConnections() + " connections";
        }
        AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > limits.maxConnectionsPerAddress()) {
            release(address);
            return address + " already has " + limits.maxConnectionsPerAddress() + " connections";
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            release(address);
        }
        super.channelInactive(ctx);
    }

    private void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    int connections() {
        return total.get();
    }
}
