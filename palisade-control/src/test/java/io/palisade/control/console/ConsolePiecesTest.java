package io.palisade.control.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.ReplyStream;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's small pieces without sockets: filters, bars, the event stream's framing, forms, the return address. */
class ConsolePiecesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpCall get(String query) {
        Map<String, String> parameters = new java.util.HashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return new HttpCall("GET", "/timeline", parameters, Map.of(), new byte[0], "127.0.0.1", List.of());
    }

    private static SecurityEvent event(EventType type, Severity severity, String device, String message) {
        return new SecurityEvent(0, Instant.parse("2026-12-03T10:00:00Z"), type, severity,
                Optional.ofNullable(device).map(DeviceId::of), "10.0.0.9", message, Map.of());
    }

    @Test
    void the_timeline_filter_takes_type_least_severity_and_device() throws Exception {
        TimelineFilter filter = TimelineFilter.of(get("type=device.quarantined&severity=medium&device=pump-1"));
        assertThat(filter.test(event(EventType.DEVICE_QUARANTINED, Severity.HIGH, "pump-1", "x"))).isTrue();
        assertThat(filter.test(event(EventType.DEVICE_QUARANTINED, Severity.LOW, "pump-1", "x"))).isFalse();
        assertThat(filter.test(event(EventType.DEVICE_QUARANTINED, Severity.HIGH, "pump-2", "x"))).isFalse();
        assertThat(filter.test(event(EventType.AUTH_FAILED, Severity.HIGH, "pump-1", "x"))).isFalse();
        assertThat(filter.test(event(EventType.DEVICE_QUARANTINED, Severity.HIGH, null, "x"))).isFalse();
        assertThat(filter.query()).isEqualTo("?type=device.quarantined&severity=medium&device=pump-1");
        assertThat(TimelineFilter.of(get("")).test(event(EventType.AUTH_FAILED, Severity.INFO, null, "x"))).isTrue();
        assertThatThrownBy(() -> TimelineFilter.of(get("severity=dreadful"))).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("bad timeline filter");
    }

    @Test
    void each_line_of_a_streamed_row_gets_its_own_data_prefix() {
        assertThat(LiveTimeline.serverSentEvent("<tr>\n<td>a\r\nb</td></tr>\n"))
                .isEqualTo("event: event\ndata: <tr>\ndata: <td>a\ndata: b</td></tr>\n\n");
    }

    /** A sink that takes {@code room} chunks, then refuses like a client that fell behind. */
    private static class RecordingSink implements ReplyStream.Sink {
        final List<String> sent = new ArrayList<>();
        int room;

        RecordingSink(int room) {
            this.room = room;
        }

        @Override
        public boolean send(String text) {
            if (room-- <= 0) {
                return false;
            }
            sent.add(text);
            return true;
        }

        @Override
        public boolean isOpen() {
            return room > 0;
        }

        @Override
        public void close() {
        }
    }

    private long nanos = 1_000_000_000L;

    private LiveTimeline timeline() {
        return new LiveTimeline(e -> "<tr>" + e.message() + "</tr>", () -> nanos);
    }

    @Test
    void a_viewer_that_falls_behind_is_dropped_and_the_others_keep_receiving() {
        LiveTimeline live = timeline();
        RecordingSink slow = new RecordingSink(2);
        RecordingSink fine = new RecordingSink(100);
        live.stream(e -> true, () -> true).open(slow);
        Runnable closeFine = live.stream(e -> e.type() == EventType.AUTH_FAILED, () -> true).open(fine);
        assertThat(live.viewers()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            live.emit(event(EventType.AUTH_FAILED, Severity.MEDIUM, null, "try " + i));
        }
        live.emit(event(EventType.DEVICE_RELEASED, Severity.INFO, "pump-1", "released"));
        assertThat(live.viewers()).as("the slow one is gone").isEqualTo(1);
        assertThat(fine.sent).hasSize(4).last().asString().contains("try 2");
        assertThat(String.join("", fine.sent)).doesNotContain("released");
        closeFine.run();
        assertThat(live.viewers()).isZero();
        assertThat(live.hasRoom()).isTrue();
    }

    @Test
    void a_flood_is_shown_at_a_readable_rate_with_a_count_of_what_was_left_out() {
        LiveTimeline live = timeline();
        RecordingSink browser = new RecordingSink(10_000);
        live.stream(e -> true, () -> true).open(browser);
        for (int i = 0; i < 1000; i++) { // 1,000 events within a tenth of a second
            live.emit(event(EventType.QUOTA_EXCEEDED, Severity.LOW, "pump-1", "flood " + i));
            nanos += 100_000;
        }
        List<String> rows = browser.sent.subList(1, browser.sent.size()); // after ": connected"
        assertThat(rows).as("the burst, then the refill").hasSizeBetween(LiveTimeline.BURST, LiveTimeline.BURST + 3);
        nanos += 1_000_000_000L;
        live.keepAlive();
        int shown = (int) browser.sent.stream().filter(m -> m.contains("flood ")).count();
        java.util.regex.Matcher notices = java.util.regex.Pattern.compile("(\\d+) more events? arrived too fast")
                .matcher(String.join("", browser.sent));
        int leftOut = 0;
        while (notices.find()) {
            leftOut += Integer.parseInt(notices.group(1));
        }
        assertThat(leftOut).as("every event is either shown or counted").isEqualTo(1000 - shown);
        live.emit(event(EventType.QUOTA_EXCEEDED, Severity.LOW, "pump-1", "after the flood"));
        assertThat(browser.sent).last().asString().contains("after the flood");
    }

    @Test
    void features_are_drawn_against_the_cohort_range_on_a_log_scale() {
        var normal = JSON.createObjectNode();
        normal.putObject("publish_rate").put("low", 0.5).put("high", 2.0);
        normal.putObject("payload_bytes").put("low", 100).put("high", 400);
        List<FeatureBar> bars = FleetPages.bars("publish_rate=40.0, payload_bytes=250, unknown=3, broken=x, noequals",
                normal);
        assertThat(bars).extracting(FeatureBar::name).containsExactly("publish_rate", "payload_bytes");
        FeatureBar rate = bars.get(0);
        assertThat(rate.outside()).isTrue();
        assertThat(rate.valueX()).isGreaterThan(rate.highX());
        assertThat(rate.valueX()).isLessThanOrEqualTo(FeatureBar.WIDTH);
        FeatureBar size = bars.get(1);
        assertThat(size.outside()).isFalse();
        assertThat(size.valueX()).isBetween(size.lowX(), size.highX());
        assertThat(FeatureBar.number(0.123456)).isEqualTo("0.123");
        assertThat(FeatureBar.number(40.0)).isEqualTo("40");
        assertThat(FeatureBar.number(Double.NaN)).as("found by ConsoleInputFuzzTest").isEqualTo("NaN");
        assertThat(FleetPages.bars("publish_rate=NaN, payload_bytes=Infinity", normal)).isEmpty();
    }

    @Test
    void the_device_page_draws_an_alerts_features_against_the_normal_range() throws Exception {
        var normal = JSON.createObjectNode();
        normal.putObject("acl_denied_per_min").put("low", 0).put("high", 0.5);
        var alert = JSON.readTree("{\"id\":\"a-1\",\"time\":\"2026-12-03T10:00:00Z\",\"subject\":\"pump-1\","
                + "\"device\":true,\"rule\":\"topic-probing\",\"severity\":\"high\",\"action\":\"quarantine\","
                + "\"reason\":\"40 refusals a minute\",\"features\":\"acl_denied_per_min=40.0\"}");
        var device = JSON.readTree("{\"id\":\"pump-1\",\"profile\":\"pump\",\"segment\":\"water\",\"state\":"
                + "\"enrolled\",\"quarantined\":true,\"tags\":[],\"connection\":{\"connected\":false}}");
        Page page = new Page("Device pump-1", "fleet", "olga", "operator", "csrf-1", "", "");
        String html = new Pages().fragment("device.jte", Map.of("page", page, "device", device,
                "certificates", JSON.createArrayNode(), "events", List.of(), "alerts",
                List.of(new FleetPages.AlertView(alert, FleetPages.bars(alert.path("features").asText(), normal))),
                "actions", List.of(DeviceAction.RELEASE)));
        assertThat(html).contains("<tr class=\"outside\">").contains("<th scope=\"row\">acl_denied_per_min</th>")
                .contains("aria-label=\"acl_denied_per_min 40 against normal 0 – 0.5\"")
                .contains("<rect class=\"normal\"").contains("href=\"/devices/pump-1/release\"")
                .doesNotContain("/devices/pump-1/quarantine");
    }

    @Test
    void the_inventory_filters_match_text_state_segment_and_connection() throws Exception {
        var device = JSON.readTree("{\"id\":\"pump-1\",\"profile\":\"pump\",\"segment\":\"water\",\"state\":\"enrolled\","
                + "\"quarantined\":true,\"tags\":[\"north\"],\"firmware\":\"fw-2.1\",\"connection\":{\"connected\":false}}");
        assertThat(FleetPages.matches(device, filters("NORTH", "", "", ""))).isTrue();
        assertThat(FleetPages.matches(device, filters("fw-2", "quarantined", "water", "offline"))).isTrue();
        assertThat(FleetPages.matches(device, filters("", "enrolled", "", ""))).isTrue();
        assertThat(FleetPages.matches(device, filters("valve", "", "", ""))).isFalse();
        assertThat(FleetPages.matches(device, filters("", "revoked", "", ""))).isFalse();
        assertThat(FleetPages.matches(device, filters("", "", "steam", ""))).isFalse();
        assertThat(FleetPages.matches(device, filters("", "", "", "connected"))).isFalse();
    }

    private static Map<String, String> filters(String q, String state, String segment, String connection) {
        return Map.of("q", q, "state", state, "segment", segment, "connection", connection);
    }

    @Test
    void a_form_is_read_within_limits_or_refused_with_the_reason() throws Exception {
        assertThat(FormBody.parse(form("application/x-www-form-urlencoded", "csrf=abc&reason=odd+writes%21")))
                .containsEntry("csrf", "abc").containsEntry("reason", "odd writes!");
        assertThatThrownBy(() -> FormBody.parse(form("application/json", "{}"))).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("application/x-www-form-urlencoded");
        assertThatThrownBy(() -> FormBody.parse(form("application/x-www-form-urlencoded", "reason=" + "a".repeat(1001))))
                .hasMessageContaining("longer than 1000");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("f").append(i).append("=1&");
        }
        assertThat(FormBody.parse(form("application/x-www-form-urlencoded", many.toString()))).hasSizeLessThanOrEqualTo(16);
    }

    private static HttpCall form(String type, String body) {
        return new HttpCall("POST", "/x", Map.of(), Map.of("content-type", type),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", List.of());
    }

    @Test
    void after_login_the_browser_goes_only_to_a_page_of_this_site() {
        assertThat(LoginPages.safeNext("/devices/pump-1")).isEqualTo("/devices/pump-1");
        for (String elsewhere : new String[] {"//evil.example", "https://evil.example/", "/\\evil.example", "",
                "/x\r\nSet-Cookie: a=b", null}) {
            assertThat(LoginPages.safeNext(elsewhere)).as(String.valueOf(elsewhere)).isEqualTo("/");
        }
    }
}
