package io.palisade.control.http;

import io.netty.channel.Channel;
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
 * Without it, ~20,000 idle connections took every descriptor and the MQTT port with them. When the port
 * is full, the connection that has owed a request head longest gives its place to the new one
 * ({@link WaitingForHead}).
 */
@ChannelHandler.Sharable
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("palisade.https-counted-address");

    private final ConnectionBudget budget;
    private final WaitingForHead waiting;
    private final Events events;
    private final KeyedRateLimiter<String> reports = new KeyedRateLimiter<>(1, 0.1, 10_000, Clock.systemUTC());

    HttpConnectionGuard(ConnectionBudget budget, WaitingForHead waiting, Events events) {
        this.budget = budget;
        this.waiting = waiting;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = Addresses.remote(ctx.channel());
        ConnectionBudget.Admission admission = budget.tryAdmit(address);
        Optional<String> refusal = admission.refusal();
        if (refusal.isPresent() && admission.onlyBecauseFull()) {
            refusal = admitInPlaceOfOldestWaiting(address, refusal.get());
        }
        if (refusal.isPresent()) {
            report(address, refusal.get());
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        super.channelActive(ctx);
    }

    /** The port is full: the connection that has owed a request head longest makes room, if there is one. */
    private Optional<String> admitInPlaceOfOldestWaiting(String address, String full) {
        while (true) {
            Optional<Channel> oldest = waiting.takeOldest();
            if (oldest.isEmpty()) {
                return Optional.of(full);
            }
            Channel victim = oldest.get();
            String victimAddress = victim.attr(COUNTED).getAndSet(null);
            if (victimAddress == null) {
                continue; // closing already; its slot is being released
            }
            Optional<String> refusal = budget.admitInPlaceOf(address, victimAddress);
            if (refusal.isPresent()) {
                keepSlot(victim, victimAddress);
                return refusal;
            }
            report(victimAddress, "closed a connection from " + victimAddress + " that owed a request for "
                    + HttpsServer.REQUEST_HEAD_SECONDS + " s or less, to admit " + address + " ("
                    + full + ")");
            victim.close();
            return Optional.empty();
        }
    }

    /** Gives the slot back to a connection that was not evicted after all (releasing it if it closed meanwhile). */
    private void keepSlot(Channel victim, String victimAddress) {
        victim.attr(COUNTED).set(victimAddress);
        if (!victim.isActive() && victim.attr(COUNTED).getAndSet(null) != null) {
            budget.release(victimAddress);
        }
    }

    private void report(String address, String what) {
        if (reports.tryAcquire(address)) {
            events.emit(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address, what);
        }
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
