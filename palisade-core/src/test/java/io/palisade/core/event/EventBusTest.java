package io.palisade.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.core.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventBusTest {

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T09:00:00Z"));
    private final List<SecurityEvent> stored = Collections.synchronizedList(new ArrayList<>());
    private SpoolingEventWriter writer;
    private EventRecorder recorder;
    private EventBus bus;

    @BeforeEach
    void start() throws Exception {
        writer = new SpoolingEventWriter(stored::addAll, EventSpool.open(dir.resolve("spool"), 1 << 20), clock);
        recorder = new EventRecorder(writer, new EventBudget(1000, Duration.ofSeconds(10), clock),
                Duration.ofSeconds(10), clock);
        bus = new EventBus(recorder);
    }

    @AfterEach
    void stop() {
        recorder.close();
        writer.close();
    }

    private SecurityEvent event(EventType type, String device) {
        return SecurityEvent.of(clock.instant(), type, Severity.MEDIUM, DeviceId.of(device), "10.0.0.1", "m");
    }

    @Test
    void a_durable_event_is_stored_before_emit_returns_and_every_subscriber_sees_it() {
        List<SecurityEvent> detection = new ArrayList<>();
        List<SecurityEvent> metrics = new ArrayList<>();
        bus.subscribe("detection", detection::add);
        bus.subscribe("metrics", metrics::add);
        SecurityEvent event = event(EventType.DEVICE_QUARANTINED, "d1");
        bus.emitDurably(event);
        assertThat(stored).containsExactly(event);
        assertThat(detection).containsExactly(event);
        assertThat(metrics).containsExactly(event);
    }

    @Test
    void a_failing_subscriber_is_counted_and_neither_the_caller_nor_the_others_notice() {
        List<SecurityEvent> after = new ArrayList<>();
        bus.subscribe("broken", e -> {
            throw new IllegalStateException("boom");
        });
        bus.subscribe("after", after::add);
        bus.emitDurably(event(EventType.AUTH_SUCCEEDED, "d1"));
        bus.emitDurably(event(EventType.AUTH_SUCCEEDED, "d2"));
        assertThat(after).hasSize(2);
        assertThat(stored).hasSize(2);
        assertThat(bus.subscriberFailures()).containsEntry("broken", 2L).containsEntry("after", 0L);
    }

    @Test
    void the_queued_path_aggregates_floods_for_the_store_while_subscribers_see_every_event() throws Exception {
        List<SecurityEvent> detection = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe("detection", detection::add);
        for (int i = 0; i < 50; i++) {
            bus.emit(event(EventType.ACL_DENIED, "d1"));
        }
        bus.emit(event(EventType.AUTH_SUCCEEDED, "d1"));
        recorder.flush();
        assertThat(detection).hasSize(51);
        assertThat(stored).filteredOn(e -> e.type() == EventType.ACL_DENIED).hasSize(EventAggregator.PASSED_PER_WINDOW);
        assertThat(stored).filteredOn(e -> e.type() == EventType.AUTH_SUCCEEDED).hasSize(1);
        recorder.close(); // closes the window: the rest are one summary
        assertThat(stored).filteredOn(e -> e.type() == EventType.ACL_DENIED)
                .anySatisfy(e -> assertThat(e.details()).containsEntry("suppressed", "45"));
    }
}
