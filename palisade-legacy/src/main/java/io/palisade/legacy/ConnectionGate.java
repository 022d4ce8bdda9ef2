package io.palisade.legacy;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.palisade.core.limit.ConnectionBudget;
import java.time.Clock;
import java.util.Optional;

/**
 * The door of a legacy listener: a new connection is closed at once, before any work, when its address opens
 * connections too fast or holds too many, or the listener is full; an admitted one counts against its address until it
 * closes and joins {@link #clients()} (closed together when the listener stops, and searched to cut sessions).
 */
public final class ConnectionGate {

    private static final System.Logger LOG = System.getLogger(ConnectionGate.class.getName());

    private final ConnectionBudget budget;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    public ConnectionGate(String listener, double attemptsPerSecond, int maxPerAddress, int maxTotal, Clock clock) {
        budget = new ConnectionBudget(listener, attemptsPerSecond, maxPerAddress, maxTotal, clock);
    }

    /** Admits the new connection, or closes it and answers false. */
    public boolean admit(SocketChannel channel) {
        String address = channel.remoteAddress().getAddress().getHostAddress();
        Optional<String> refused = budget.admit(address);
        if (refused.isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, refused.get());
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(closed -> budget.release(address));
        clients.add(channel);
        return true;
    }

    public ChannelGroup clients() {
        return clients;
    }
}
