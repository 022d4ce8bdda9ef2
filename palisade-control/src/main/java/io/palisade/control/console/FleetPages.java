package io.palisade.control.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fleet inventory ({@code /}, searchable and filterable, {@value #PAGE_SIZE} devices a page), a device's page ({@code /devices/{id}}: state,
 * certificates, recent events, alerts with their features against the cohort's normal range, and the actions the
 * viewer's role allows), and each action's confirmation ({@code GET /devices/{id}/{action}}) and post.
 */
final class FleetPages {

    /** Events shown on a device page: its newest among the last {@value #EVENT_WINDOW} stored. */
    static final int DEVICE_EVENTS = 50;
    static final int EVENT_WINDOW = 1000;
    /** Devices per inventory page: a page stays quick to render and to read at any fleet size. */
    static final int PAGE_SIZE = 250;

    private final InternalApi api;
    private final Pages pages;
    private final java.util.function.LongSupplier lastEventId;

    FleetPages(InternalApi api, Pages pages, java.util.function.LongSupplier lastEventId) {
        this.api = api;
        this.pages = pages;
        this.lastEventId = lastEventId;
    }

    void register(Router router, ConsoleRoutes console) {
        router.add("GET", "/", console.page(this::inventory), HttpReply::jsonError);
        router.add("GET", "/devices/{id}", console.page(this::device), HttpReply::jsonError);
        router.add("GET", "/devices/{id}/{action}", console.page(this::confirm), HttpReply::jsonError);
        router.add("POST", "/devices/{id}/{action}", console.form(this::act), HttpReply::jsonError);
    }

    private HttpReply inventory(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        JsonNode all = api.get(call, "/api/v1/devices").path("devices");
        Map<String, String> filters = new HashMap<>();
        for (String name : List.of("q", "state", "segment", "connection")) {
            filters.put(name, call.queryParameter(name).orElse("").strip());
        }
        TreeSet<String> segments = new TreeSet<>();
        List<JsonNode> shown = new ArrayList<>();
        for (JsonNode device : all) {
            segments.add(device.path("segment").asText());
            if (matches(device, filters)) {
                shown.add(device);
            }
        }
        shown.sort(Comparator.comparing(d -> d.path("id").asText()));
        int pageCount = Math.max(1, (shown.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(pageCount, Math.max(1, number(call.queryParameter("page").orElse("1"))));
        List<JsonNode> onPage = shown.subList((page - 1) * PAGE_SIZE, Math.min(shown.size(), page * PAGE_SIZE));
        StringBuilder query = new StringBuilder();
        filters.forEach((name, value) -> {
            if (!value.isEmpty()) {
                query.append('&').append(name).append('=').append(ConsoleRoutes.encode(value));
            }
        });
        return pages.render(200, "inventory.jte", Map.of("page", viewer.page("Fleet", "fleet"), "devices", onPage,
                "matching", shown.size(), "total", all.size(), "filters", filters, "segments", List.copyOf(segments),
                "pageNumber", page, "pageCount", pageCount, "first", (page - 1) * PAGE_SIZE + 1,
                "filterQuery", query.toString()));
    }

    /** A page number as typed into a URL; anything else is the first page. */
    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static boolean matches(JsonNode device, Map<String, String> filters) {
        String q = filters.get("q").toLowerCase(Locale.ROOT);
        if (!q.isEmpty()) {
            StringBuilder text = new StringBuilder(device.path("id").asText()).append(' ')
                    .append(device.path("profile").asText()).append(' ').append(device.path("firmware").asText());
            device.path("tags").forEach(tag -> text.append(' ').append(tag.asText()));
            if (!text.toString().toLowerCase(Locale.ROOT).contains(q)) {
                return false;
            }
        }
        String state = filters.get("state");
        if (state.equals("quarantined") ? !device.path("quarantined").asBoolean()
                : !state.isEmpty() && !device.path("state").asText().equals(state)) {
            return false;
        }
        String segment = filters.get("segment");
        if (!segment.isEmpty() && !device.path("segment").asText().equals(segment)) {
            return false;
        }
        String connection = filters.get("connection");
        boolean connected = device.path("connection").path("connected").asBoolean();
        return connection.isEmpty() || connection.equals("connected") == connected;
    }

    private HttpReply device(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        String id = p.get("id");
        JsonNode device = api.get(call, "/api/v1/devices/" + id);
        JsonNode certificates = api.get(call, "/api/v1/devices/" + id + "/certificates").path("certificates");
        long after = Math.max(0, lastEventId.getAsLong() - EVENT_WINDOW);
        List<JsonNode> events = new ArrayList<>();
        api.get(call, "/api/v1/events", Map.of("device", id, "after", Long.toString(after),
                "limit", Integer.toString(EVENT_WINDOW))).path("events").forEach(events::add);
        java.util.Collections.reverse(events);
        List<AlertView> alerts = alerts(call, id);
        List<DeviceAction> actions = new ArrayList<>();
        boolean quarantined = device.path("quarantined").asBoolean();
        for (DeviceAction action : DeviceAction.values()) {
            boolean applies = action == DeviceAction.QUARANTINE ? !quarantined
                    : action != DeviceAction.RELEASE || quarantined;
            if (applies && viewer.may("POST", action.apiPath(id))) {
                actions.add(action);
            }
        }
        Page page = viewer.page("Device " + id, "fleet").withNotice(call.queryParameter("done")
                .flatMap(DeviceAction::of).map(action -> "Device " + id + " " + action.done() + ".").orElse(""));
        return pages.render(200, "device.jte", Map.of("page", page, "device", device, "certificates", certificates,
                "events", events.subList(0, Math.min(DEVICE_EVENTS, events.size())), "alerts", alerts,
                "actions", actions));
    }

    /** An alert with its features drawn against the cohort's normal range. */
    public record AlertView(JsonNode alert, List<FeatureBar> bars) {
    }

    /** The device's alerts, newest first; none when detection is off (its API answers 404). */
    private List<AlertView> alerts(HttpCall call, String id) throws ApiFailure {
        JsonNode list;
        JsonNode normal;
        try {
            list = api.get(call, "/api/v1/detection/alerts", Map.of("limit", "1000")).path("alerts");
        } catch (ApiFailure failure) {
            if (failure.status() == 404) {
                return List.of();
            }
            throw failure;
        }
        try {
            normal = api.get(call, "/api/v1/detection/devices/" + id).path("normal");
        } catch (ApiFailure failure) {
            normal = ConsoleRoutes.JSON.createObjectNode(); // not seen by the detector since the last start
        }
        List<AlertView> alerts = new ArrayList<>();
        for (JsonNode alert : list) {
            if (alert.path("device").asBoolean() && alert.path("subject").asText().equals(id)) {
                alerts.add(new AlertView(alert, bars(alert.path("features").asText(), normal)));
            }
        }
        return alerts;
    }

    /** Parses "name=value, ..." and pairs each feature the cohort has a range for with that range. */
    static List<FeatureBar> bars(String features, JsonNode normal) {
        List<FeatureBar> bars = new ArrayList<>();
        for (String pair : features.split(",")) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = pair.substring(0, equals).strip();
            JsonNode range = normal.path(name);
            try {
                double value = Double.parseDouble(pair.substring(equals + 1).strip());
                // Java reads "NaN" and "Infinity" as numbers; there is nothing to draw for them.
                if (Double.isFinite(value) && range.has("low") && range.has("high")
                        && Double.isFinite(range.get("low").asDouble()) && Double.isFinite(range.get("high").asDouble())) {
                    bars.add(FeatureBar.of(name, value, range.get("low").asDouble(), range.get("high").asDouble()));
                }
            } catch (NumberFormatException e) {
                // a feature written as text (not a number) has nothing to draw
            }
        }
        return bars;
    }

    private HttpReply confirm(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        DeviceAction action = action(p);
        JsonNode device = api.get(call, "/api/v1/devices/" + p.get("id"));
        if (!viewer.may("POST", action.apiPath(p.get("id")))) {
            throw new ApiFailure(403, viewer.principal().name() + " (role " + viewer.principal().role().wireName()
                    + ") may not " + action.verb() + " devices");
        }
        return pages.render(200, "confirm.jte", Map.of("page", viewer.page(action.label() + " " + p.get("id"), "fleet"),
                "device", device, "action", action));
    }

    private HttpReply act(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        DeviceAction action = action(p);
        Map<String, String> form = FormBody.parse(call);
        var body = ConsoleRoutes.JSON.createObjectNode();
        String reason = form.getOrDefault("reason", "").strip();
        if (!reason.isEmpty()) {
            body.put("reason", reason);
        }
        if (action == DeviceAction.REFLASH) {
            body.put("target", form.getOrDefault("target", "").strip());
        }
        if (action == DeviceAction.REVOKE && !form.getOrDefault("crl_reason", "").isBlank()) {
            body.put("crl_reason", form.get("crl_reason"));
        }
        api.send(call, "POST", action.apiPath(p.get("id")), body, form.getOrDefault("csrf", ""));
        return Pages.redirect("/devices/" + ConsoleRoutes.encode(p.get("id")) + "?done=" + action.verb());
    }

    private static DeviceAction action(Map<String, String> p) throws ApiFailure {
        return DeviceAction.of(p.get("action")).orElseThrow(() -> new ApiFailure(404, "no device action '"
                + p.get("action") + "'; actions: quarantine, release, revoke, wipe, reflash"));
    }
}
