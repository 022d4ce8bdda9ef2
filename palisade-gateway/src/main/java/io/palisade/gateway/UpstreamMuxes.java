package io.palisade.gateway;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The gateway's {@link UpstreamMux}es, one per event loop, opened when the gateway starts and again, when a
 * device connects on a loop whose mux has ended. Off unless the upstream address asks for them
 * ({@code ?mux=1}): then {@link #enabled} is false and sessions open their own broker connections.
 */
final class UpstreamMuxes {

    private static final System.Logger LOG = System.getLogger(UpstreamMuxes.class.getName());

    static final UpstreamMuxes NONE = new UpstreamMuxes(null);

    private final Upstream upstream;
    private final Map<EventLoop, UpstreamMux> muxes = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    /** Tells this gateway's muxes apart from another gateway's on the same broker. */
    private final String instance = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private volatile boolean closed;

    UpstreamMuxes(Upstream upstream) {
        this.upstream = upstream;
    }

    static UpstreamMuxes of(Upstream upstream) {
        return upstream.address().multiplexed() ? new UpstreamMuxes(upstream) : NONE;
    }

    boolean enabled() {
        return upstream != null;
    }

    /**
     * Calls {@code ready} with the mux of {@code loop} once the broker has accepted it (call on that loop), opening
     * one if there is none; {@code failed} gets the reason when there is none to be had.
     */
    void whenReady(EventLoop loop, Consumer<UpstreamMux> ready, Consumer<String> failed) {
        if (closed) {
            failed.accept("the gateway is stopping");
            return;
        }
        UpstreamMux mux = muxes.get(loop);
        if (mux == null || mux.ended()) {
            mux = open(loop);
        }
        mux.whenReady(ready, failed);
    }

    /** Opens a mux on each of {@code loops} (the gateway's start). */
    void openAll(Iterable<? extends io.netty.util.concurrent.EventExecutor> loops) {
        if (upstream != null) {
            loops.forEach(loop -> loop.execute(() -> open((EventLoop) loop)));
        }
    }

    private UpstreamMux open(EventLoop loop) {
        String clientId = "palisade-mux-" + instance + "-" + opened.incrementAndGet();
        UpstreamMux mux = new UpstreamMux(loop, clientId, upstream.address());
        muxes.put(loop, mux);
        upstream.connect(loop, mux).addListener(future -> {
            if (!future.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "mux to " + upstream.address() + " not opened: "
                        + io.palisade.core.Errors.rootMessage(future.cause()));
                mux.connectFailed("the upstream broker is unavailable");
            }
        });
        return mux;
    }

    /** How many device sessions are carried by the muxes (status and tests). */
    int sessions() {
        return muxes.values().stream().mapToInt(UpstreamMux::sessions).sum();
    }

    /** How many mux connections are open or opening. */
    int connections() {
        return (int) muxes.values().stream().filter(mux -> !mux.ended()).count();
    }

    void close() {
        closed = true;
        muxes.values().forEach(mux -> mux.loop().execute(mux::close));
    }
}
