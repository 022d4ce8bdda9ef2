package io.palisade.gateway;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's {@link PublishLane}s, one per event loop, opened when the gateway starts and reopened (at
 * most once per {@link #RETRY_NANOS}, when a device session on that loop connects) after one ends or could
 * not be opened (a broker still starting, or gone). Off unless the
 * upstream address asks for them ({@code ?lanes=qos0}): then {@link #laneFor} always answers empty.
 */
final class PublishLanes {

    static final long RETRY_NANOS = 1_000_000_000L;

    static final PublishLanes NONE = new PublishLanes(null);

    private final PerLoopConnections<PublishLane> lanes;
    private final Map<EventLoop, Long> lastAttempt = new ConcurrentHashMap<>();

    PublishLanes(Upstream upstream) {
        this.lanes = upstream == null ? null : new PerLoopConnections<>(upstream, "lane", PublishLane::new,
                "; devices keep their own connections");
    }

    static PublishLanes of(Upstream upstream) {
        return upstream.address().qos0Lanes() ? new PublishLanes(upstream) : NONE;
    }

    /**
     * The ready lane of {@code loop} (call on that loop), or empty: lanes off, or not (yet) connected,
     * in which case one is being opened for the sessions that come later.
     */
    Optional<PublishLane> laneFor(EventLoop loop) {
        if (lanes == null || lanes.closed()) {
            return Optional.empty();
        }
        PublishLane lane = lanes.get(loop);
        if (lane != null && lane.ready()) {
            return Optional.of(lane);
        }
        if (lane == null || lane.ended()) {
            open(loop);
        }
        return Optional.empty();
    }

    /** Opens a lane on each of {@code loops} (the gateway's start). */
    void openAll(Iterable<? extends io.netty.util.concurrent.EventExecutor> loops) {
        if (lanes != null) {
            loops.forEach(loop -> open((EventLoop) loop));
        }
    }

    private synchronized void open(EventLoop loop) { // rare: the start, and a lane down
        long now = System.nanoTime();
        Long last = lastAttempt.get(loop);
        if (last != null && now - last < RETRY_NANOS) {
            return;
        }
        lastAttempt.put(loop, now);
        lanes.open(loop);
    }

    /** How many sessions send their QoS 0 publishes over a lane (for tests and status). */
    int boundSessions() {
        return lanes == null ? 0 : lanes.all().stream().mapToInt(PublishLane::boundSessions).sum();
    }

    void close() {
        if (lanes != null) {
            lanes.close();
        }
    }
}
