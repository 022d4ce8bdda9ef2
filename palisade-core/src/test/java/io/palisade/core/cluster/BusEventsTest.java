package io.palisade.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusEventsTest {

    private static SecurityEvent decode(String json) {
        return BusEvents.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_event_round_trips_without_its_store_id_and_is_keyed_by_device_else_source() {
        SecurityEvent event = SecurityEvent.of(Instant.parse("2026-12-04T10:15:30.123Z"), EventType.ACL_DENIED,
                Severity.MEDIUM, DeviceId.of("pump-7"), "10.0.0.7", "publish refused").withDetails(Map.of("topic", "x/y"))
                .withId(42);
        SecurityEvent decoded = BusEvents.decode(BusEvents.encode(event));
        assertThat(decoded).isEqualTo(event.withId(0));
        assertThat(BusEvents.key(event)).isEqualTo("device:pump-7");
        assertThat(BusEvents.key(SecurityEvent.of(Instant.EPOCH, EventType.AUTH_FAILED, Severity.LOW, null,
                "192.0.2.9", "bad certificate"))).isEqualTo("source:192.0.2.9");
    }

    @Test
    void a_record_that_is_not_an_event_is_refused_with_the_reason() {
        String good = "\"time\":\"2026-12-04T10:00:00.000Z\",\"type\":\"auth.failed\",\"severity\":\"low\"";
        assertThat(decode("{" + good + "}").type()).isEqualTo(EventType.AUTH_FAILED);
        assertThatThrownBy(() -> decode("{\"type\":\"auth.failed\",\"severity\":\"low\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an event record");
        assertThatThrownBy(() -> decode("{" + good.replace("auth.failed", "laser.fired") + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an event record");
        assertThatThrownBy(() -> decode("{" + good + ",\"device\":\"no spaces allowed\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an event record");
        assertThatThrownBy(() -> decode("{\"time\":")).hasMessageStartingWith("not an event record");
        assertThatThrownBy(() -> BusEvents.decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> BusEvents.decode(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BusEvents.decode(new byte[BusEvents.MAX_BYTES + 1])).hasMessageContaining("at most");
    }
}
