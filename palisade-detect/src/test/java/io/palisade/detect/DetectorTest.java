package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetectorTest {

    private static final DeviceId SENSOR = DeviceId.of("sensor-1");
    private final List<SecurityEvent> emitted = new CopyOnWriteArrayList<>();
    private final List<String> quarantined = new CopyOnWriteArrayList<>();
    private long nanos = 1_000_000_000L;
    private Detector detector = detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofMinutes(10)));

    private Detector detector(DetectionConfig config) {
        return new Detector(config, (device, reason) -> quarantined.add(device.value() + ": " + reason), emitted::add,
                Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC), () -> nanos);
    }

    @AfterEach
    void close() {
        detector.close();
    }

    private void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    private static SecurityEvent event(EventType type, DeviceId device, String source, String message) {
        return SecurityEvent.of(Instant.parse("2026-11-27T10:00:00Z"), type, Severity.MEDIUM, device, source, message);
    }

    private List<SecurityEvent> anomalies() {
        return emitted.stream().filter(e -> e.type() == EventType.ANOMALY_DETECTED).toList();
    }

    private void awaitResponses() {
        detector.close(); // drains the response thread
    }

    @Test
    void topic_probing_is_detected_attributed_and_quarantined_with_the_time_from_first_evidence() {
        for (int i = 0; i < 25; i++) {
            detector.onEvent(event(EventType.ACL_DENIED, SENSOR, "10.0.0.5", "subscribe on 'plant/" + i + "/#' is"
                    + " outside what device sensor-1 may use"));
            advance(Duration.ofMillis(40));
        }
        awaitResponses();
        assertThat(anomalies()).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("rule", "topic-probing");
            assertThat(e.details().get("features")).contains("acl_denied_per_min=");
            assertThat(e.message()).contains("the limit is 20");
            assertThat(Long.parseLong(e.details().get("time_to_detect_ms"))).isBetween(700L, 900L);
        });
        assertThat(quarantined).singleElement().asString().startsWith("sensor-1: automatic, topic-probing")
                .contains("ms from first evidence to quarantine");
    }

    @Test
    void occasional_refusals_decay_and_never_add_up_to_a_finding() {
        for (int i = 0; i < 200; i++) {
            detector.onEvent(event(EventType.ACL_DENIED, SENSOR, "10.0.0.5", "publish on 'x' is denied"));
            advance(Duration.ofSeconds(30)); // one refusal every 30 s for 100 minutes
        }
        awaitResponses();
        assertThat(anomalies()).isEmpty();
        assertThat(quarantined).isEmpty();
    }

    @Test
    void attempts_on_other_devices_topics_are_lateral_command_injection() {
        for (int i = 0; i < 3; i++) {
            detector.onEvent(denied(SENSOR, "devices/valve-7/cmd", AccessDecision.DEFAULT_DENY,
                    "an operator's sentence that names no topic"));
            advance(Duration.ofMillis(300)); // spread out, as three separate connections are: still "three"
        }
        awaitResponses();
        assertThat(anomalies()).extracting(e -> e.details().get("rule")).containsExactly("cross-device-command");
        assertThat(quarantined).hasSize(1);
    }

    @Test
    void refusals_inside_the_devices_own_tree_are_not_lateral_movement() {
        for (int i = 0; i < 5; i++) {
            // The sentence names another device's tree; the structured topic, which is what counts, does not.
            detector.onEvent(denied(SENSOR, "devices/sensor-1/firmware/x", "devices/{id}/firmware/#",
                    "publish on 'devices/valve-7/cmd' is denied (a message is never parsed)"));
        }
        awaitResponses();
        assertThat(anomalies()).isEmpty();
    }

    /** An {@code acl.denied} event as the gateway raises it: the decision's fields in its details. */
    private static SecurityEvent denied(DeviceId device, String topic, String rule, String message) {
        return event(EventType.ACL_DENIED, device, "10.0.0.5", message)
                .withDetails(AccessDecision.deny(Action.PUBLISH, topic, rule, message).details());
    }

    @Test
    void brute_force_from_an_address_without_identity_is_alerted_not_quarantined() {
        for (int i = 0; i < 12; i++) {
            detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.AUTH_FAILED, Severity.HIGH, null, "203.0.113.9",
                    "TLS handshake failed"));
        }
        awaitResponses();
        assertThat(anomalies()).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("rule", "auth-brute-force");
            assertThat(e.source()).isEqualTo("203.0.113.9");
            assertThat(e.device()).isEmpty();
        });
        assertThat(quarantined).isEmpty();
    }

    @Test
    void a_device_appearing_from_a_new_network_after_learning_is_alerted() {
        detector.onEvent(event(EventType.AUTH_SUCCEEDED, SENSOR, "10.0.0.5", "connected"));
        advance(Duration.ofMinutes(11));
        detector.onEvent(event(EventType.AUTH_SUCCEEDED, SENSOR, "10.0.0.77", "connected")); // same /24
        assertThat(anomalies()).isEmpty();
        detector.onEvent(event(EventType.AUTH_SUCCEEDED, SENSOR, "198.51.100.4", "connected"));
        awaitResponses();
        assertThat(anomalies()).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("rule", "new-network");
            assertThat(e.severity()).isEqualTo(Severity.MEDIUM);
        });
        assertThat(quarantined).as("a medium finding alerts only").isEmpty();
    }

    @Test
    void a_flood_far_above_the_devices_own_baseline_is_found_and_steady_traffic_is_not() {
        for (int i = 0; i < 1800; i++) { // 30 minutes at one message per second
            detector.onPublish(SENSOR, "devices/sensor-1/temp", ByteBuffer.wrap(new byte[64]));
            advance(Duration.ofSeconds(1));
        }
        assertThat(anomalies()).as("steady traffic").isEmpty();
        for (int i = 0; i < 1000; i++) { // 200 messages per second
            detector.onPublish(SENSOR, "devices/sensor-1/temp", ByteBuffer.wrap(new byte[64]));
            advance(Duration.ofMillis(5));
        }
        awaitResponses();
        assertThat(anomalies()).extracting(e -> e.details().get("rule")).containsExactly("payload-flood");
        assertThat(anomalies().get(0).message()).contains("times its normal");
    }

    @Test
    void a_legacy_masters_allowed_traffic_is_learned_about_its_address_and_a_write_burst_found_against_it() {
        for (int i = 0; i < 1800; i++) { // a Modbus master polling two registers once a second for 30 minutes
            detector.publishedFrom("10.0.0.66", "modbus/1/3/holding-registers/0", ByteBuffer.wrap(new byte[5]));
            advance(Duration.ofSeconds(1));
        }
        assertThat(detector.featuresOfAddress("10.0.0.66")).hasValueSatisfying(features ->
                assertThat(features.get("distinct_topics")).isEqualTo(1.0));
        assertThat(anomalies()).as("steady polling").isEmpty();
        for (int i = 0; i < 1000; i++) { // then 200 writes a second to a register block it never touched
            detector.publishedFrom("10.0.0.66", "modbus/1/16/holding-registers/300", ByteBuffer.wrap(new byte[8]));
            advance(Duration.ofMillis(5));
        }
        awaitResponses();
        assertThat(anomalies()).extracting(e -> e.details().get("rule")).contains("payload-flood");
        assertThat(anomalies()).allSatisfy(finding -> {
            assertThat(finding.source()).isEqualTo("10.0.0.66");
            assertThat(finding.device()).as("an address has no device").isEmpty();
        });
        assertThat(detector.features(SENSOR)).as("no device was made up for it").isEmpty();
    }

    @Test
    void the_cohorts_normal_range_of_each_feature_is_there_to_draw_alerts_against() {
        detector.close();
        // Model samples scored on this thread (a direct executor): none skipped, none still queued when read.
        detector = new Detector(DetectionConfig.defaults().withLearningPeriod(Duration.ofMinutes(10)),
                (device, reason) -> quarantined.add(device.value()), emitted::add,
                Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC), () -> nanos,
                id -> DeviceScope.DEFAULT, Runnable::run, 1L);
        assertThat(detector.normalRanges(SENSOR)).as("never seen").isEmpty();
        for (int i = 0; i < 1800; i++) { // 30 minutes at one 64-byte message per second
            detector.onPublish(SENSOR, "devices/sensor-1/temp", ByteBuffer.wrap(new byte[64]));
            advance(Duration.ofSeconds(1));
        }
        Map<String, double[]> ranges = detector.normalRanges(SENSOR);
        assertThat(ranges).isNotEmpty();
        assertThat(ranges.values()).allSatisfy(range -> assertThat(range[0]).isLessThanOrEqualTo(range[1]));
        assertThat(ranges).containsKey("messages_per_min");
        double[] rate = ranges.get("messages_per_min");
        assertThat(rate[1]).as("about 60 a minute is inside the range").isGreaterThanOrEqualTo(50);
        assertThat(detector.normalRanges(DeviceId.of("other-1"))).isEmpty();
    }

    @Test
    void a_rule_fires_once_per_cooldown_and_automatic_quarantine_can_be_off() {
        detector = detector(DetectionConfig.defaults().withAutoQuarantine(false));
        for (int i = 0; i < 60; i++) {
            detector.onEvent(event(EventType.QUOTA_EXCEEDED, SENSOR, "10.0.0.5", "throttled"));
        }
        awaitResponses();
        assertThat(anomalies()).hasSize(1);
        assertThat(quarantined).isEmpty();
    }

    @Test
    void memory_is_bounded_however_many_addresses_an_attacker_uses() {
        detector = detector(new DetectionConfig(true, Duration.ZERO, 100, Duration.ofMinutes(5)));
        for (int i = 0; i < 10_000; i++) {
            detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.AUTH_FAILED, Severity.HIGH, null,
                    "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), "bad certificate"));
        }
        assertThat(detector.trackedSubjects()).isEqualTo(100);
    }

    @Test
    void networks_are_slash_24_for_ipv4_and_slash_64_for_ipv6() {
        assertThat(Detector.network("10.1.2.3")).isEqualTo("10.1.2.0/24");
        assertThat(Detector.network("2001:db8:1:2:aa:bb:cc:dd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(Detector.network("")).isEmpty();
    }
}
