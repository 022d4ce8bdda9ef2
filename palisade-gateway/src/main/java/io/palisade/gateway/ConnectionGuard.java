package io.palisade.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.ConnectionBudget;
import java.time.Clock;
import java.util.Optional;

/**
 * First handler of every device connection, before any TLS work: refuses connections over the
 * per-address attempt rate, the per-address concurrency limit or the global limit, so that a flood
 * of connections costs a close, not a handshake.
 */
@ChannelHandler.Sharable
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("palisade.counted-address");

    private final GatewayEvents events;
    private final ConnectionBudget budget;

    ConnectionGuard(GatewayLimits limits, GatewayEvents events, Clock clock) {
        this.events = events;
        this.budget = new ConnectionBudget("the MQTT port", limits.connectsPerSecondPerAddress(),
                limits.maxConnectionsPerAddress(), limits.maxConnections(), clock);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = Addresses.remote(ctx.channel());
        Optional<String> refusal = budget.admit(address);
        if (refusal.isPresent()) {
            events.emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address, refusal.get());
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

    int connections() {
        return budget.open();
    }
}
