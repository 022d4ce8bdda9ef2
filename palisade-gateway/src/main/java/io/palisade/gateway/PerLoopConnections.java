package io.palisade.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One shared connection to the broker per event loop (a {@link PublishLane} or an {@link UpstreamMux}): opens
 * it, names it with a client id that tells this gateway's connections apart from another gateway's on the same
 * broker ({@code palisade-KIND-INSTANCE-N}), replaces it when it has ended, and closes them all at the stop. When
 * to reopen is the owner's policy.
 */
final class PerLoopConnections<C extends PerLoopConnections.Shared> {

    private static final System.Logger LOG = System.getLogger(PerLoopConnections.class.getName());

    /** What a per-loop connection offers its registry. */
    interface Shared extends ChannelHandler {
        EventLoop loop();

        boolean ended();

        /** The connection could not be opened (TCP or TLS): it has ended without starting. */
        void connectFailed(String reason);

        /** Called on its loop at the stop. */
        void close();
    }

    /** Makes the handler of a new connection. */
    @FunctionalInterface
    interface Factory<C> {
        C create(EventLoop loop, String clientId, UpstreamAddress address);
    }

    private final Upstream upstream;
    private final String kind;
    private final Factory<C> factory;
    private final String afterFailure;
    private final Map<EventLoop, C> byLoop = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final String instance = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private volatile boolean closed;

    /**
     * @param kind         what the connections are, in client ids and logs ({@code mux}, {@code lane})
     * @param afterFailure what happens to devices when one cannot be opened, for the log
     */
    PerLoopConnections(Upstream upstream, String kind, Factory<C> factory, String afterFailure) {
        this.upstream = upstream;
        this.kind = kind;
        this.factory = factory;
        this.afterFailure = afterFailure;
    }

    UpstreamAddress address() {
        return upstream.address();
    }

    /** The connection of {@code loop}, ended or not, or null if none was opened there. */
    C get(EventLoop loop) {
        return byLoop.get(loop);
    }

    /** Opens a new connection for {@code loop}, in place of the one it had. */
    C open(EventLoop loop) {
        C connection = factory.create(loop, "palisade-" + kind + "-" + instance + "-" + opened.incrementAndGet(),
                upstream.address());
        byLoop.put(loop, connection);
        upstream.connect(loop, connection).addListener(future -> {
            if (!future.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, kind + " to " + upstream.address() + " not opened: "
                        + io.palisade.core.Errors.rootMessage(future.cause()) + afterFailure);
                connection.connectFailed("the upstream broker is unavailable");
            }
        });
        return connection;
    }

    Collection<C> all() {
        return byLoop.values();
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        byLoop.values().forEach(connection -> connection.loop().execute(connection::close));
    }
}
