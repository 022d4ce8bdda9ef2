package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Operator rules, the response actions, approvals and feedback, through the detector's public API. */
class ResponsesAndRulesTest {

    private static final DeviceId METER = DeviceId.of("meter-1");
    private final List<SecurityEvent> emitted = new CopyOnWriteArrayList<>();
    private final List<String> actions = new CopyOnWriteArrayList<>();
    private long nanos = 1_000_000_000L;

    private final Responder responder = new Responder() {
        @Override
        public void quarantine(DeviceId device, String reason) {
            actions.add("quarantine " + device.value());
        }

        @Override
        public void throttle(DeviceId device, String reason) {
            actions.add("throttle " + device.value());
        }

        @Override
        public void revoke(DeviceId device, String reason) {
            actions.add("revoke " + device.value());
        }
    };

    private Detector detector(DetectionConfig config) {
        return new Detector(config, responder, emitted::add, Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"),
                ZoneOffset.UTC), () -> nanos, id -> new DeviceScope(id.value().split("-")[0], "north"), Runnable::run, 7);
    }

    private static DetectionConfig config() {
        return DetectionConfig.defaults().withLearningPeriod(Duration.ofMinutes(10)).withModel(false);
    }

    private static ByteBuffer json(int bytes) {
        StringBuilder text = new StringBuilder("{\"v\":");
        while (text.length() < bytes - 1) {
            text.append(text.length() % 10);
        }
        return ByteBuffer.wrap(text.append('}').toString().getBytes(StandardCharsets.US_ASCII));
    }

    private void publish(Detector detector, DeviceId device, int times, Duration every, ByteBuffer payload) {
        for (int i = 0; i < times; i++) {
            detector.onPublish(device, "devices/" + device.value() + "/data", payload.duplicate());
            nanos += every.toNanos();
        }
    }

    private List<SecurityEvent> anomalies() {
        return emitted.stream().filter(e -> e.type() == EventType.ANOMALY_DETECTED).toList();
    }

    @Test
    void an_operator_threshold_rule_applies_to_its_profile_only_and_carries_its_own_action() {
        try (Detector detector = detector(config())) {
            detector.putRule(OperatorRule.fromJson("{\"name\":\"meter-chatter\",\"feature\":\"messages_per_min\","
                    + "\"kind\":\"threshold\",\"value\":30,\"profile\":\"meter\",\"action\":\"throttle\"}"));
            publish(detector, DeviceId.of("sensor-1"), 40, Duration.ofSeconds(1), json(40));
            assertThat(anomalies()).as("another profile").isEmpty();
            publish(detector, METER, 40, Duration.ofSeconds(1), json(40));
            assertThat(anomalies()).singleElement().satisfies(e -> {
                assertThat(e.details()).containsEntry("rule", "meter-chatter").containsEntry("response", "throttle");
                assertThat(e.message()).contains("messages_per_min is 30").contains("limit of 30");
            });
            assertThat(actions).containsExactly("throttle meter-1");
        }
    }

    @Test
    void a_rate_of_change_rule_fires_on_a_jump_against_the_devices_own_recent_average() {
        try (Detector detector = detector(config())) {
            detector.putRule(OperatorRule.fromJson("{\"name\":\"payload-jump\",\"feature\":\"mean_payload_bytes\","
                    + "\"kind\":\"rate-of-change\",\"value\":200}"));
            publish(detector, METER, 120, Duration.ofSeconds(5), json(100));
            assertThat(anomalies()).as("steady payloads").isEmpty();
            publish(detector, METER, 30, Duration.ofSeconds(5), json(1200));
            assertThat(anomalies()).extracting(e -> e.details().get("rule")).containsExactly("payload-jump");
            assertThat(anomalies().get(0).message()).contains("rose by").contains("average of the last few minutes");
        }
    }

    @Test
    void a_percentile_rule_compares_a_device_with_its_cohort_after_learning() {
        try (Detector detector = detector(config().withModel(true).withSampleInterval(Duration.ofSeconds(10)))) {
            detector.putRule(OperatorRule.fromJson("{\"name\":\"odd-meter\",\"feature\":\"mean_payload_bytes\","
                    + "\"kind\":\"percentile\",\"value\":99}"));
            Random random = new Random(3);
            for (int step = 0; step < 2400; step++) { // 40 minutes, 20 meters each publishing every 5 s
                if (step % 5 == 0) {
                    for (int m = 0; m < 20; m++) {
                        detector.onPublish(DeviceId.of("meter-" + m), "devices/meter-" + m + "/data",
                                json(90 + random.nextInt(20)));
                    }
                }
                nanos += 1_000_000_000L;
            }
            assertThat(anomalies()).isEmpty();
            publish(detector, DeviceId.of("meter-3"), 40, Duration.ofMillis(100), json(600));
            assertThat(anomalies()).extracting(e -> e.details().get("rule")).contains("odd-meter");
            assertThat(anomalies().stream().filter(e -> "odd-meter".equals(e.details().get("rule"))).findFirst()
                    .orElseThrow().message()).contains("above the 99th percentile of profile 'meter'");
        }
    }

    @Test
    void with_automatic_quarantine_off_high_findings_wait_for_an_operator() {
        try (Detector detector = detector(config().withAutoQuarantine(false))) {
            for (int i = 0; i < 25; i++) {
                detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.ACL_DENIED, Severity.MEDIUM, METER,
                        "10.0.0.1", "subscribe on '#' is outside what device meter-1 may use"));
            }
            assertThat(actions).isEmpty();
            assertThat(detector.pending()).singleElement().satisfies(p -> {
                assertThat(p.device()).isEqualTo("meter-1");
                assertThat(p.rule()).isEqualTo("topic-probing");
            });
            assertThat(anomalies().get(0).details()).containsEntry("response", "quarantine-with-approval");
            String id = detector.pending().get(0).id();
            assertThat(detector.approve(id)).contains("device meter-1 quarantined");
            assertThat(actions).containsExactly("quarantine meter-1");
            assertThat(detector.pending()).isEmpty();
            assertThat(detector.approve(id)).as("approved once").isEmpty();
        }
    }

    @Test
    void responses_can_be_overridden_per_rule_for_example_to_revoke() {
        try (Detector detector = detector(config().withResponses(Map.of("file-tamper", ResponseAction.REVOKE)))) {
            detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.FILE_MODIFIED, Severity.HIGH, METER, "10.0.0.1",
                    "file /opt/app/bin/agent modified"));
            assertThat(actions).containsExactly("revoke meter-1");
            assertThat(detector.builtInRules()).filteredOn(r -> r.name().equals("file-tamper"))
                    .singleElement().extracting(Detector.BuiltInRule::action).isEqualTo(ResponseAction.REVOKE);
        }
    }

    @Test
    void a_false_positive_doubles_the_evidence_the_rule_needs_for_that_device_and_benign_silences_it() {
        try (Detector detector = detector(config().withAutoQuarantine(false))) {
            Runnable probe = () -> {
                for (int i = 0; i < 25; i++) {
                    detector.onEvent(SecurityEvent.of(Instant.EPOCH, EventType.ACL_DENIED, Severity.MEDIUM, METER,
                            "10.0.0.1", "subscribe on 'a/" + i + "' is outside what device meter-1 may use"));
                }
            };
            probe.run();
            Alert first = detector.alerts(10).get(0);
            assertThat(detector.feedback(first.id(), AlertVerdict.FALSE_POSITIVE)).get().asString()
                    .contains("now needs 2 times its limit for meter-1");
            assertThat(detector.alerts(10).get(0).verdict()).contains(AlertVerdict.FALSE_POSITIVE);
            assertThat(detector.tuning()).singleElement().satisfies(t -> assertThat(t.factor()).isEqualTo(2.0));

            nanos += Duration.ofMinutes(10).toNanos(); // past the cooldown; the old refusals have decayed
            probe.run();
            assertThat(detector.alerts(10)).as("25 refusals no longer reach twice the limit of 20").hasSize(1);
            probe.run();
            assertThat(detector.alerts(10)).as("50 do").hasSize(2);

            assertThat(detector.feedback(detector.alerts(10).get(0).id(), AlertVerdict.BENIGN)).get().asString()
                    .contains("is silent for meter-1 until");
            nanos += Duration.ofMinutes(10).toNanos();
            probe.run();
            probe.run();
            assertThat(detector.alerts(10)).as("silenced").hasSize(2);
            assertThat(detector.feedback("al-unknown", AlertVerdict.BENIGN)).isEmpty();
        }
    }

    @Test
    void a_flood_is_measured_by_time_spent_throttled_and_a_short_burst_is_not_a_flood() {
        try (Detector detector = detector(config())) {
            for (int i = 0; i < 40; i++) { // a 400 ms burst over quota: throttled for 0.4 s
                detector.throttled(METER, 10_000_000L);
                nanos += 10_000_000L;
            }
            assertThat(anomalies()).isEmpty();
            for (int i = 0; i < 100; i++) { // sustained: overlapping pauses count once
                detector.throttled(METER, 20_000_000L);
                nanos += 10_000_000L;
            }
            assertThat(anomalies()).extracting(e -> e.details().get("rule")).containsExactly("quota-flood");
            assertThat(actions).containsExactly("quarantine meter-1");
        }
    }

    @Test
    void every_failed_handshake_counts_even_when_the_gateway_reports_only_some() {
        try (Detector detector = detector(config())) {
            for (int i = 0; i < 10; i++) {
                detector.handshakeFailed("203.0.113.7");
                nanos += 100_000_000L;
            }
            assertThat(anomalies()).singleElement().satisfies(e -> {
                assertThat(e.details()).containsEntry("rule", "auth-brute-force");
                assertThat(e.source()).isEqualTo("203.0.113.7");
            });
        }
    }

    @Test
    void payload_entropy_tells_text_from_encrypted_data() {
        byte[] random = new byte[256];
        new Random(1).nextBytes(random);
        assertThat(PayloadEntropy.bitsPerByte(ByteBuffer.wrap(random))).isGreaterThan(7.0);
        assertThat(PayloadEntropy.bitsPerByte(json(200))).isBetween(2.0, 4.5);
        assertThat(PayloadEntropy.bitsPerByte(ByteBuffer.wrap(new byte[100]))).isZero();
        assertThat(PayloadEntropy.bitsPerByte(ByteBuffer.allocate(0))).isZero();
        ByteBuffer view = ByteBuffer.wrap(random, 10, 50);
        PayloadEntropy.bitsPerByte(view);
        assertThat(view.position()).as("the buffer is left as it was").isEqualTo(10);
    }

    @Test
    void traffic_in_both_directions_and_subscriptions_become_features() {
        try (Detector detector = detector(config())) {
            detector.subscribed(METER, "devices/meter-1/cmd/#");
            detector.delivered(METER, 300);
            detector.delivered(METER, 200);
            publish(detector, METER, 10, Duration.ofSeconds(1), json(50));
            detector.disconnected(METER);
            Map<String, Double> features = detector.features(METER).orElseThrow();
            // 10 s later, counts with a one-minute half-life have decayed to 2^(-10/60) = 0.89 of themselves.
            assertThat(features.get("messages_in_per_min")).isBetween(1.75, 1.8);
            assertThat(features.get("bytes_in_per_min")).isBetween(440.0, 450.0);
            assertThat(features.get("subscribes_per_min")).isBetween(0.88, 0.9);
            assertThat(features.get("disconnects_per_min")).isBetween(0.9, 1.0);
            assertThat(features.get("publish_subscribe_ratio")).isBetween(9.0, 10.0);
            assertThat(features.get("mean_payload_bytes")).isEqualTo(50.0);
            assertThat(features).containsKeys(java.util.Arrays.stream(Feature.values()).map(Feature::wireName)
                    .toArray(String[]::new));
        }
    }
}
