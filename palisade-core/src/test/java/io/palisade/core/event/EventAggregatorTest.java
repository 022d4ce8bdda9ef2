package io.palisade.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventAggregatorTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
    private final List<SecurityEvent> stored = new ArrayList<>();
    private final EventBudget budget = new EventBudget(EventBudget.DEFAULT_PER_WINDOW, Duration.ofSeconds(10), clock);
    private final EventAggregator aggregator = new EventAggregator(stored::add, clock, Duration.ofSeconds(10), budget, false);

    private SecurityEvent denied(String device, String topic) {
        return SecurityEvent.of(clock.instant(), EventType.ACL_DENIED, Severity.MEDIUM, DeviceId.of(device), "10.0.0.9",
                "publish on '" + topic + "' is outside what device " + device + " may do");
    }

    @Test
    void a_flood_of_refusals_is_stored_as_a_few_events_and_one_summary_with_the_count() {
        for (int i = 0; i < 50_000; i++) {
            aggregator.emit(denied("q-1", "x/" + i));
        }
        assertThat(stored).hasSize(EventAggregator.PASSED_PER_WINDOW);
        clock.advance(Duration.ofSeconds(10));
        aggregator.flush();
        SecurityEvent summary = stored.get(stored.size() - 1);
        assertThat(summary.type()).isEqualTo(EventType.ACL_DENIED);
        assertThat(summary.device()).contains(DeviceId.of("q-1"));
        assertThat(summary.details()).containsEntry("suppressed", "49995").containsEntry("window_seconds", "10");
        assertThat(summary.message()).contains("49995 more acl.denied events for device q-1");
    }

    @Test
    void subjects_and_types_are_counted_apart_and_other_types_always_pass() {
        for (int i = 0; i < 20; i++) {
            aggregator.emit(denied("a-1", "t"));
            aggregator.emit(denied("b-1", "t"));
            aggregator.emit(SecurityEvent.of(clock.instant(), EventType.CERT_ISSUED, Severity.INFO, DeviceId.of("a-1"),
                    "x", "issued"));
        }
        assertThat(stored).filteredOn(e -> e.type() == EventType.ACL_DENIED).hasSize(10);
        assertThat(stored).filteredOn(e -> e.type() == EventType.CERT_ISSUED).hasSize(20);
    }

    @Test
    void a_window_without_excess_writes_no_summary_and_a_new_window_passes_again() {
        for (int i = 0; i < 3; i++) {
            aggregator.emit(denied("c-1", "t"));
        }
        clock.advance(Duration.ofSeconds(11));
        aggregator.flush();
        assertThat(stored).hasSize(3);
        for (int i = 0; i < 7; i++) {
            aggregator.emit(denied("c-1", "t"));
        }
        assertThat(stored).hasSize(3 + EventAggregator.PASSED_PER_WINDOW);
        aggregator.close();
        assertThat(stored.get(stored.size() - 1).details()).containsEntry("suppressed", "2");
    }

    @Test
    void a_flood_from_many_subjects_at_once_stays_within_the_global_budget_and_every_event_is_accounted_for() {
        int subjects = 5_000;
        int perSubject = 20;
        for (int round = 0; round < perSubject; round++) {
            for (int d = 0; d < subjects; d++) {
                aggregator.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.LOW, null,
                        "10.1." + (d / 250) + "." + (d % 250), "half a request line"));
            }
        }
        assertThat(stored).as("passed one by one across all subjects").hasSize(EventBudget.DEFAULT_PER_WINDOW);
        clock.advance(Duration.ofSeconds(10));
        aggregator.flush();
        List<SecurityEvent> summaries = stored.subList(EventBudget.DEFAULT_PER_WINDOW, stored.size());
        assertThat(summaries).as("individual summaries plus one merged summary for the type")
                .hasSize(EventAggregator.SUMMARIES_PER_WINDOW + 1);
        SecurityEvent merged = summaries.get(summaries.size() - 1);
        assertThat(merged.source()).isEqualTo("many sources");
        assertThat(merged.message()).contains("global budget");
        long accounted = EventBudget.DEFAULT_PER_WINDOW + summaries.stream()
                .mapToLong(e -> Long.parseLong(e.details().get("suppressed"))).sum();
        assertThat(accounted).as("passed plus suppressed").isEqualTo((long) subjects * perSubject);

        stored.clear();
        aggregator.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.LOW, null, "10.9.9.9", "x"));
        assertThat(stored).as("a new window has a new budget").hasSize(1);
    }

    @Test
    void aggregators_sharing_a_budget_stay_within_it_together() {
        List<SecurityEvent> other = new ArrayList<>();
        EventAggregator second = new EventAggregator(other::add, clock, Duration.ofSeconds(10), budget, false);
        for (int d = 0; d < 1_000; d++) {
            SecurityEvent event = SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null,
                    "10.2.0." + d, "bad token");
            aggregator.emit(event);
            second.emit(event);
        }
        assertThat(stored.size() + other.size()).isEqualTo(EventBudget.DEFAULT_PER_WINDOW);
    }
}
