package io.palisade.gateway;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's {@link PublishLane}s, one per event loop, opened when the gateway starts and reopened (at
 * most once per {@link #RETRY_NANOS}, when a device session on that loop connects) after one ends or could
 * not be opened (a broker still starting, or gone). Off unless the
 * upstream address asks for them ({@code ?lanes=qos0}): then {@link #laneFor} always answers empty.
 */
final class PublishLanes {

    private static final System.Logger LOG = System.getLogger(PublishLanes.class.getName());
    static final long RETRY_NANOS = 1_000_000_000L;

    static final PublishLanes NONE = new PublishLanes(null);

    private final Upstream upstream;
    private final Map<EventLoop, PublishLane> lanes = new ConcurrentHashMap<>();
    private final Map<EventLoop, Long> lastAttempt = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    /** Tells this gateway's lanes apart from another gateway's on the same broker. */
    private final String instance = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private volatile boolean closed;

    PublishLanes(Upstream upstream) {
        this.upstream = upstream;
    }

    static PublishLanes of(Upstream upstream) {
        return upstream.address().qos0Lanes() ? new PublishLanes(upstream) : NONE;
    }

    /**
     * The ready lane of {@code loop} (call on that loop), or empty: lanes off, or not (yet) connected,
     * in which case one is being opened for the sessions that come later.
     */
    Optional<PublishLane> laneFor(EventLoop loop) {
        if (upstream == null || closed) {
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
        if (upstream != null) {
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
        String clientId = "palisade-lane-" + instance + "-" + opened.incrementAndGet();
        PublishLane lane = new PublishLane(loop, clientId, upstream.address());
        lanes.put(loop, lane);
        upstream.connect(loop, lane).addListener(future -> {
            if (!future.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "QoS 0 lane to " + upstream.address() + " not opened: "
                        + io.palisade.core.Errors.rootMessage(future.cause()) + "; devices keep their own connections");
                lane.connectFailed();
            }
        });
    }

    /** How many sessions send their QoS 0 publishes over a lane (for tests and status). */
    int boundSessions() {
        return lanes.values().stream().mapToInt(PublishLane::boundSessions).sum();
    }

    void close() {
        closed = true;
        lanes.values().forEach(lane -> lane.loop().execute(lane::close));
    }
}
