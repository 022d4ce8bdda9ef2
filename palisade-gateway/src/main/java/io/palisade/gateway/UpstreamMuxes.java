package io.palisade.gateway;

import io.netty.channel.EventLoop;
import java.util.function.Consumer;

/**
 * The gateway's {@link UpstreamMux}es, one per event loop, opened when the gateway starts and again, when a
 * device connects on a loop whose mux has ended. Off unless the upstream address asks for them
 * ({@code ?mux=1}): then {@link #enabled} is false and sessions open their own broker connections.
 */
final class UpstreamMuxes {

    static final UpstreamMuxes NONE = new UpstreamMuxes(null);

    private final PerLoopConnections<UpstreamMux> muxes;

    UpstreamMuxes(Upstream upstream) {
        this.muxes = upstream == null ? null
                : new PerLoopConnections<>(upstream, "mux", UpstreamMux::new, "; devices on that loop are refused");
    }

    static UpstreamMuxes of(Upstream upstream) {
        return upstream.address().multiplexed() ? new UpstreamMuxes(upstream) : NONE;
    }

    boolean enabled() {
        return muxes != null;
    }

    /**
     * Calls {@code ready} with the mux of {@code loop} once the broker has accepted it (call on that loop), opening
     * one if there is none; {@code failed} gets the reason when there is none to be had.
     */
    void whenReady(EventLoop loop, Consumer<UpstreamMux> ready, Consumer<String> failed) {
        if (muxes.closed()) {
            failed.accept("the gateway is stopping");
            return;
        }
        UpstreamMux mux = muxes.get(loop);
        if (mux == null || mux.ended()) {
            mux = muxes.open(loop);
        }
        mux.whenReady(ready, failed);
    }

    /** Opens a mux on each of {@code loops} (the gateway's start). */
    void openAll(Iterable<? extends io.netty.util.concurrent.EventExecutor> loops) {
        if (muxes != null) {
            loops.forEach(loop -> loop.execute(() -> muxes.open((EventLoop) loop)));
        }
    }

    /** How many device sessions are carried by the muxes (status and tests). */
    int sessions() {
        return muxes == null ? 0 : muxes.all().stream().mapToInt(UpstreamMux::sessions).sum();
    }

    /** How many mux connections are open or opening. */
    int connections() {
        return muxes == null ? 0 : (int) muxes.all().stream().filter(mux -> !mux.ended()).count();
    }

    void close() {
        if (muxes != null) {
            muxes.close();
        }
    }
}
