package io.palisade.control.console;

import io.palisade.control.http.ReplyStream;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.SecurityEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The console's live view: an event-bus subscriber that hands each event to every open timeline whose filter takes
 * it, as a Server-Sent Event carrying a rendered table row. Runs on the emitting thread (often a gateway I/O
 * thread), so it only filters, renders and queues: a viewer that falls behind is cut off by its sink, never waited
 * for. At most {@value #MAX_VIEWERS} timelines are open at once; every {@value #KEEP_ALIVE_SECONDS} s each gets a
 * comment line ({@link #keepAlive}) so that a vanished browser is noticed and proxies keep the stream open.
 */
public final class LiveTimeline implements EventSink, AutoCloseable {

    public static final int MAX_VIEWERS = 64;
    public static final int KEEP_ALIVE_SECONDS = 20;
    private static final System.Logger LOG = System.getLogger(LiveTimeline.class.getName());

    private record Viewer(Predicate<SecurityEvent> filter, Function<SecurityEvent, String> render,
                          ReplyStream.Sink sink, java.util.function.BooleanSupplier stillAllowed) {
    }

    private final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * Sends each open timeline a comment line, and ends those whose session has closed since (logout, idle or
     * absolute timeout, operator removed); the owner calls it every {@value #KEEP_ALIVE_SECONDS} s. The session is
     * checked here, not per event, so that no store read runs on the threads that emit events: a closed session
     * sees at most that long of events more.
     */
    public void keepAlive() {
        for (Viewer viewer : viewers) {
            boolean allowed;
            try {
                allowed = viewer.stillAllowed().getAsBoolean();
            } catch (RuntimeException e) {
                allowed = false; // the store cannot say: end the stream; the browser reconnects and is checked anew
            }
            if (!allowed) {
                viewers.remove(viewer);
                viewer.sink().close();
            } else if (!viewer.sink().send(": keep-alive\n\n")) {
                viewers.remove(viewer);
            }
        }
    }

    @Override
    public void emit(SecurityEvent event) {
        for (Viewer viewer : viewers) {
            if (viewer.filter().test(event) && !viewer.sink().send(serverSentEvent(viewer.render().apply(event)))) {
                viewers.remove(viewer);
                dropped.incrementAndGet();
            }
        }
    }

    /** Whether another timeline may open now. */
    boolean hasRoom() {
        return viewers.size() < MAX_VIEWERS;
    }

    int viewers() {
        return viewers.size();
    }

    /**
     * A stream of the events {@code filter} takes, each rendered by {@code render} into one "event" SSE message, for
     * as long as {@code stillAllowed} (the viewer's session) holds.
     */
    ReplyStream stream(Predicate<SecurityEvent> filter, Function<SecurityEvent, String> render,
                       java.util.function.BooleanSupplier stillAllowed) {
        return sink -> {
            Viewer viewer = new Viewer(filter, render, sink, stillAllowed);
            viewers.add(viewer);
            sink.send("retry: 5000\n: connected\n\n");
            return () -> {
                if (viewers.remove(viewer)) {
                    LOG.log(System.Logger.Level.DEBUG, "a console timeline closed; " + viewers.size() + " open");
                }
            };
        };
    }

    /** One SSE message named "event"; every line of the data gets its own {@code data:} prefix, as SSE requires. */
    static String serverSentEvent(String html) {
        StringBuilder message = new StringBuilder("event: event\n");
        for (String line : html.strip().split("\r\n|\r|\n", -1)) {
            message.append("data: ").append(line).append('\n');
        }
        return message.append('\n').toString();
    }

    @Override
    public void close() {
        viewers.forEach(viewer -> viewer.sink().close());
        viewers.clear();
    }
}
