package io.palisade.control.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Router;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The live event timeline: {@code /timeline} shows the newest matching events of the last
 * {@value #WINDOW} stored and opens {@code /timeline/stream}, a Server-Sent Events stream of the events that arrive
 * from then on (htmx's SSE extension inserts each row at the top).
 */
final class TimelinePages {

    static final int WINDOW = 1000;
    static final int SHOWN = 100;

    private final InternalApi api;
    private final Pages pages;
    private final LiveTimeline live;
    private final LongSupplier lastEventId;

    TimelinePages(InternalApi api, Pages pages, LiveTimeline live, LongSupplier lastEventId) {
        this.api = api;
        this.pages = pages;
        this.live = live;
        this.lastEventId = lastEventId;
    }

    void register(Router router, ConsoleRoutes console) {
        router.add("GET", "/timeline", console.page(this::timeline), HttpReply::jsonError);
        router.add("GET", "/timeline/stream", (call, p) -> {
            Optional<Viewer> viewer = console.viewer(call);
            if (viewer.isEmpty()) {
                return HttpReply.text(401, "sign in to the console first");
            }
            TimelineFilter filter;
            try {
                filter = TimelineFilter.of(call);
            } catch (ApiFailure failure) {
                return HttpReply.text(failure.status(), failure.getMessage());
            }
            if (!live.hasRoom()) {
                return HttpReply.text(503, "too many live timelines are open (at most " + LiveTimeline.MAX_VIEWERS
                        + "); close one and retry").withHeader("Retry-After", "30");
            }
            return Pages.browserHeaders(HttpReply.stream("text/event-stream; charset=utf-8",
                    live.stream(filter, () -> console.sessionOpen(call))));
        }, HttpReply::jsonError);
    }

    private HttpReply timeline(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        TimelineFilter filter = TimelineFilter.of(call);
        Map<String, String> query = new java.util.HashMap<>(Map.of(
                "after", Long.toString(Math.max(0, lastEventId.getAsLong() - WINDOW)),
                "limit", Integer.toString(WINDOW)));
        filter.type().ifPresent(type -> query.put("type", type.wireName()));
        filter.device().ifPresent(device -> query.put("device", device));
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode event : api.get(call, "/api/v1/events", query).path("events")) {
            if (filter.severityAllows(event)) {
                events.add(event);
            }
        }
        java.util.Collections.reverse(events);
        return pages.render(200, "timeline.jte", Map.of("page", viewer.page("Live timeline", "timeline"),
                "events", events.subList(0, Math.min(SHOWN, events.size())), "filter", filter,
                "stream", "/timeline/stream" + filter.query(),
                "types", Arrays.stream(EventType.values()).map(EventType::wireName).sorted().toList(),
                "severities", Arrays.stream(Severity.values()).map(Severity::wireName).toList()));
    }
}
