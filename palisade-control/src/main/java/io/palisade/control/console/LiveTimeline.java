package io.palisade.control.console;

import io.palisade.control.http.ReplyStream;
import io.palisade.core.event.EventJson;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.SecurityEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The console's live view: an event-bus subscriber that hands each event to every open timeline whose filter takes
 * it, as a Server-Sent Event carrying a rendered table row. It runs on the emitting thread (often a gateway I/O
 * thread), so it only filters, renders (once per event, however many viewers) and queues: a viewer that falls behind
 * is cut off by its sink, never waited for. Each viewer gets at most {@value #ROWS_PER_SECOND} rows a second (bursts
 * of {@value #BURST}); beyond that, one row says how many were left out, so a flood cannot bury a browser. At most
 * {@value #MAX_VIEWERS} timelines are open at once; every {@value #KEEP_ALIVE_SECONDS} s each gets a comment line
 * ({@link #keepAlive}) so that a vanished browser is noticed and proxies keep the stream open.
 */
public final class LiveTimeline implements EventSink {

    public static final int MAX_VIEWERS = 64;
    public static final int KEEP_ALIVE_SECONDS = 20;
    static final int ROWS_PER_SECOND = 20;
    static final int BURST = 50;
    private static final System.Logger LOG = System.getLogger(LiveTimeline.class.getName());

    /** One open timeline and its row budget (a token bucket), guarded by itself: events arrive on many threads. */
    private static final class Viewer {
        final Predicate<SecurityEvent> filter;
        final ReplyStream.Sink sink;
        final BooleanSupplier stillAllowed;
        double tokens = BURST;
        long refilledAt;
        long leftOut;

        Viewer(Predicate<SecurityEvent> filter, ReplyStream.Sink sink, BooleanSupplier stillAllowed, long now) {
            this.filter = filter;
            this.sink = sink;
            this.stillAllowed = stillAllowed;
            this.refilledAt = now;
        }

        /** Sends {@code message} if the budget allows (first saying how many were left out); false when cut off. */
        synchronized boolean offer(String message, long now) {
            tokens = Math.min(BURST, tokens + (now - refilledAt) / 1e9 * ROWS_PER_SECOND);
            refilledAt = now;
            if (tokens < 1) {
                leftOut++;
                return true;
            }
            tokens--;
            return flushLeftOut() && sink.send(message);
        }

        synchronized boolean flushLeftOut() {
            if (leftOut == 0) {
                return true;
            }
            String notice = "<tr class=\"left-out\"><td colspan=\"6\">" + leftOut + " more event" + (leftOut == 1 ? "" : "s")
                    + " arrived too fast to show here (over " + ROWS_PER_SECOND + " a second); the event store has"
                    + " them all.</td></tr>";
            leftOut = 0;
            return sink.send(serverSentEvent(notice));
        }
    }

    private final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();
    private final Function<SecurityEvent, String> render;
    private final LongSupplier nanoTime;

    /** Rows rendered with the console's {@code event-row} template. */
    public LiveTimeline() {
        this(rowRenderer(new Pages()), System::nanoTime);
    }

    LiveTimeline(Function<SecurityEvent, String> render, LongSupplier nanoTime) {
        this.render = render;
        this.nanoTime = nanoTime;
    }

    static Function<SecurityEvent, String> rowRenderer(Pages pages) {
        return event -> pages.fragment("event-row.jte", Map.of("event", EventJson.toJson(event)));
    }

    /**
     * Sends each open timeline a comment line (after the count of rows left out, if any), and ends those whose
     * session has closed since (logout, idle or absolute timeout, operator removed); the owner calls it every
     * {@value #KEEP_ALIVE_SECONDS} s. The session is checked here, not per event, so that no store read runs on the
     * threads that emit events: a closed session sees at most that long of events more.
     */
    public void keepAlive() {
        for (Viewer viewer : viewers) {
            boolean allowed;
            try {
                allowed = viewer.stillAllowed.getAsBoolean();
            } catch (RuntimeException e) {
                allowed = false; // the store cannot say: end the stream; the browser reconnects and is checked anew
            }
            if (!allowed) {
                viewers.remove(viewer);
                viewer.sink.close();
            } else if (!viewer.flushLeftOut() || !viewer.sink.send(": keep-alive\n\n")) {
                viewers.remove(viewer);
            }
        }
    }

    @Override
    public void emit(SecurityEvent event) {
        String message = null;
        long now = nanoTime.getAsLong();
        for (Viewer viewer : viewers) {
            if (!viewer.filter.test(event)) {
                continue;
            }
            if (message == null) {
                message = serverSentEvent(render.apply(event));
            }
            if (!viewer.offer(message, now)) {
                viewers.remove(viewer);
                LOG.log(System.Logger.Level.INFO, "a console timeline fell too far behind and was closed;"
                        + " its browser reconnects");
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

    /** A stream of the events {@code filter} takes, for as long as {@code stillAllowed} (the viewer's session) holds. */
    ReplyStream stream(Predicate<SecurityEvent> filter, BooleanSupplier stillAllowed) {
        return sink -> {
            Viewer viewer = new Viewer(filter, sink, stillAllowed, nanoTime.getAsLong());
            viewers.add(viewer);
            sink.send("retry: 5000\n: connected\n\n");
            return () -> viewers.remove(viewer);
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
}
