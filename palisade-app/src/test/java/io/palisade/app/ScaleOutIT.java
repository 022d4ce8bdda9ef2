package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.cluster.KafkaBusUrl;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.testing.KafkaBroker;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL, one Kafka and one upstream Mosquitto: what an operator does on instance A
 * (quarantine, release, revoke, a policy, a segment's quarantine) reaches a device whose session is on instance B.
 * The device sees it as MQTT 5 reason codes (0x87 once confined) and a closed connection (revoked). The propagation
 * times of 100 trials each are printed (p50, p99, max); the README records them.
 */
class ScaleOutIT {

    private static final int TRIALS = Integer.getInteger("palisade.scaleout.trials", 100);
    private static final int NOT_AUTHORIZED = 0x87;
    /** Accepted: 0, or 0x10 (no matching subscribers) from an upstream that says so, as Mosquitto does. */
    private static final int ACCEPTED = -1;
    private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private PrivatePostgres postgres;
    private KafkaBroker kafka;
    private RunningPalisade a;
    private RunningPalisade b;
    private final List<MqttAsyncClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startTwoInstances() throws Exception {
        postgres = PrivatePostgres.start();
        kafka = KafkaBroker.start(dir);
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        // The first start makes the CA and keys; every other instance starts from a copy of them (README).
        start(dataA, "gw-a", kafka.busUrl()).close();
        InstanceData.copy(dataA, dataB);
        a = start(dataA, "gw-a", kafka.busUrl());
        // B reaches Kafka through a listener of its own, so that a test can cut B alone off the bus.
        b = start(dataB, "gw-b", kafka.secondBusUrl());
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttAsyncClient client : clients) {
            try {
                client.disconnectForcibly(100, 100, false);
            } catch (MqttException ignored) {
                // already gone
            }
            client.close(true);
        }
        for (RunningPalisade instance : Arrays.asList(b, a)) {
            if (instance != null) {
                instance.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void quarantine_and_release_on_one_instance_confine_and_free_a_session_on_the_other() throws Exception {
        EstEnrollment.enroll(a, dir, "q-1");
        MqttAsyncClient device = connect(b, "q-1");
        String own = "devices/q-1/t";
        assertThat(publish(device, own)).as("allowed before the quarantine").isLessThan(0x80);
        List<Long> confined = new ArrayList<>();
        List<Long> freed = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            long start = System.nanoTime();
            a.controlPlane().devices().quarantine("q-1", "scale-out test", Optional.of("trial " + trial));
            confined.add(untilReasonCode(device, own, NOT_AUTHORIZED) - start);
            start = System.nanoTime();
            a.controlPlane().devices().release("q-1", "scale-out test", Optional.empty());
            freed.add(untilReasonCode(device, own, ACCEPTED) - start);
        }
        System.out.println("quarantine on A confines the session on B: " + summary(confined));
        System.out.println("release on A frees the session on B: " + summary(freed));
    }

    @Test
    void revocation_on_one_instance_cuts_sessions_on_the_other() throws Exception {
        // Enrolled and connected eight at a time: one by one, the setup took a minute (a store commit, an EST
        // round trip and two TLS handshakes each, mostly waiting); the measured part below stays one by one.
        java.util.concurrent.ExecutorService setup = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<MqttAsyncClient>> connecting = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            String id = "r-" + i;
            connecting.add(setup.submit(() -> {
                EstEnrollment.enroll(a, dir, id);
                return connect(b, id);
            }));
        }
        List<MqttAsyncClient> devices = new ArrayList<>();
        try {
            for (java.util.concurrent.Future<MqttAsyncClient> device : connecting) {
                devices.add(device.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            setup.shutdownNow();
        }
        List<Long> cut = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            String id = "r-" + i;
            assertThat(b.isConnected(id)).isTrue();
            long start = System.nanoTime();
            a.controlPlane().devices().revoke(id, "scale-out test", Optional.of("trial " + i));
            long deadline = start + PROPAGATION_BOUND.toNanos();
            while (b.isConnected(id)) {
                assertThat(System.nanoTime()).as("session of " + id + " on B still open").isLessThan(deadline);
                Thread.sleep(0, 200_000);
            }
            cut.add(System.nanoTime() - start);
            MqttAsyncClient client = devices.get(i);
            await().atMost(PROPAGATION_BOUND).until(() -> !client.isConnected());
        }
        System.out.println("revocation on A cuts the session on B: " + summary(cut));
        assertThat(b.isConnected("r-0")).isFalse();
    }

    /**
     * Detection on A throttles a device (its responder, as a rule with the throttle response does): the device,
     * connected to B, is slowed there, at a pace its own quota would take without a word.
     */
    @Test
    void a_throttle_made_by_detection_on_one_instance_slows_the_device_on_the_other() throws Exception {
        EstEnrollment.enroll(a, dir, "t-1");
        MqttAsyncClient device = connect(b, "t-1");
        String own = "devices/t-1/t";
        a.controlPlane().detection().orElseThrow().responder()
                .throttle(io.palisade.core.device.DeviceId.of("t-1"), "scale-out test");
        // At most 50 msg/s: half the default quota (100/s, burst 200), which never runs dry at that pace, and five
        // times the throttled one (10/s, burst 20), which does within a second once B has heard of the throttle.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String slowedOnB = "device t-1 throttled: publishing faster than its quota"; // B's gateway says so
        while (!api(a, "GET", "events?type=quota.exceeded&device=t-1", null).contains(slowedOnB)) {
            assertThat(System.nanoTime()).as("B slowed the device").isLessThan(deadline);
            for (int i = 0; i < 25; i++) {
                assertThat(publish(device, own)).isLessThan(0x80);
                Thread.sleep(20);
            }
        }
    }

    @Test
    void a_policy_and_a_segment_quarantine_made_on_one_instance_apply_on_the_other() throws Exception {
        EstEnrollment.enroll(a, dir, "p-1");
        MqttAsyncClient device = connect(b, "p-1");
        assertThat(publish(device, "plant-a/line-1/temp")).as("outside its own tree").isEqualTo(NOT_AUTHORIZED);
        assertThat(api(a, "PUT", "policies/profile/sensor", "{\"publish\":{\"allow\":[\"plant-a/#\"]}}"))
                .endsWith("200");
        untilReasonCode(device, "plant-a/line-1/temp", ACCEPTED);

        assertThat(api(a, "POST", "segments/plant-a/quarantine", "{}")).endsWith("200");
        untilReasonCode(device, "devices/p-1/t", NOT_AUTHORIZED);
        assertThat(api(a, "POST", "segments/plant-a/release", "{}")).endsWith("200");
        untilReasonCode(device, "devices/p-1/t", ACCEPTED);

        assertThat(api(a, "DELETE", "policies/profile/sensor", null)).endsWith("200");
        untilReasonCode(device, "plant-a/line-1/temp", NOT_AUTHORIZED);
    }

    /** The admin API of an instance through curl, an independent client; the body, a newline, the HTTP status. */
    private String api(RunningPalisade instance, String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-X", method, "--cacert",
                dir.resolve("a/ca/root.crt").toString(), "-H", "Authorization: Bearer "
                        + Files.readString(dir.resolve("a/admin.token")).trim(), "-w", "\n%{http_code}"));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
        }
        command.add("https://localhost:" + instance.controlPlane().httpsPort() + "/api/v1/" + path);
        return Processes.run(command).output().trim();
    }

    @Test
    void a_detection_rule_set_or_removed_on_one_instance_applies_on_the_other() throws Exception {
        assertThat(api(a, "PUT", "detection/rules/meter-bytes", "{\"feature\":\"bytes_per_min\",\"kind\":\"threshold\","
                + "\"value\":50000,\"action\":\"throttle\"}")).endsWith("200");
        await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(api(b, "GET", "detection/rules", null))
                .contains("meter-bytes"));
        assertThat(api(a, "DELETE", "detection/rules/meter-bytes", null)).endsWith("200");
        await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(api(b, "GET", "detection/rules", null))
                .doesNotContain("meter-bytes"));
    }

    @Test
    void an_instance_cut_off_the_bus_keeps_serving_says_degraded_and_applies_what_it_missed_once_back()
            throws Exception {
        EstEnrollment.enroll(a, dir, "c-1");
        MqttAsyncClient device = connect(b, "c-1");
        String own = "devices/c-1/t";
        long healed;
        try (PortCut cut = PortCut.drop(kafka.secondPort())) {
            await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(api(b, "GET", "health", null))
                    .contains("\"status\":\"degraded\"").contains("\"bus\":{\"state\":\"degraded\""));
            assertThat(api(a, "GET", "health", null)).as("A keeps the bus").contains("\"status\":\"ok\"");
            a.controlPlane().devices().quarantine("c-1", "scale-out test", Optional.of("while B is cut off"));
            for (int i = 0; i < 20; i++) {
                assertThat(publish(device, own)).as("B serves with what it last knew").isLessThan(0x80);
            }
            healed = System.nanoTime();
        }
        long applied = untilReasonCode(device, own, NOT_AUTHORIZED);
        System.out.printf("B, cut off the bus, applied the quarantine made meanwhile %.0f ms after the cut ended%n",
                (applied - healed) / 1e6);
        await().atMost(PROPAGATION_BOUND).untilAsserted(() ->
                assertThat(api(b, "GET", "health", null)).contains("\"status\":\"ok\""));
    }

    /**
     * Kafka restarts while both instances make changes: each instance keeps its events on disk while the bus cannot
     * take them and sends them when it is back; every event reaches the store.
     */
    @Test
    void a_kafka_restart_mid_traffic_loses_no_event() throws Exception {
        java.util.Set<Integer> made = changesAcross(() -> kafka.kill(), () -> kafka.restart(), "k");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(trialsInStore("k")).as("changes recorded in the store").containsAll(made));
        for (RunningPalisade instance : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api(instance, "GET", "health", null))
                    .contains("\"status\":\"ok\"").contains("\"events_spooled\":0").contains("\"events_lost\":0"));
        }
    }

    /**
     * PostgreSQL restarts while a device's publishes are refused: the events wait in Kafka, the instance draining
     * them says the store is unavailable and how many wait, and they are written once the store is back.
     */
    @Test
    void a_postgresql_restart_mid_traffic_loses_no_event() throws Exception {
        EstEnrollment.enroll(a, dir, "pg-1");
        MqttAsyncClient device = connect(b, "pg-1");
        long refused = 0;
        postgres.stopServer();
        try {
            for (int i = 0; i < 30; i++) { // refused publishes: acl.denied events raised on B while the store is away
                assertThat(publish(device, "elsewhere/" + i)).isEqualTo(NOT_AUTHORIZED);
                refused++;
            }
            // The device's events are keyed by it: one instance drains them, notices the store is away and says so.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.of(
                    api(a, "GET", "health", null), api(b, "GET", "health", null)))
                    .anySatisfy(health -> assertThat(health).contains("\"status\":\"degraded\"")
                            .contains("\"event_store\":{\"state\":\"unavailable\"")
                            .doesNotContain("\"waiting\":0")));
        } finally {
            postgres.startServer();
        }
        long expected = refused;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(TickingDevice.denialsCountedInStore(a).getOrDefault("pg-1", 0L))
                        .as("refused publishes accounted for in the store").isGreaterThanOrEqualTo(expected));
        for (RunningPalisade instance : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api(instance, "GET", "health", null))
                    .contains("\"status\":\"ok\""));
        }
    }

    /**
     * A device's session moves from A to B (it disconnects and connects there): B's detector continues from what A
     * learned of the device instead of learning it from nothing, before the device has sent B anything.
     */
    @Test
    void what_detection_learned_of_a_device_on_one_instance_follows_it_to_the_other() throws Exception {
        EstEnrollment.enroll(a, dir, "d-1");
        io.palisade.core.device.DeviceId id = io.palisade.core.device.DeviceId.of("d-1");
        MqttAsyncClient onA = connect(a, "d-1");
        for (int i = 0; i < 30; i++) {
            assertThat(publish(onA, "devices/d-1/t")).isLessThan(0x80);
        }
        java.util.Map<String, Double> learned = a.detector().orElseThrow().features(id).orElseThrow();
        assertThat(b.detector().orElseThrow().features(id)).as("B has not seen the device").isEmpty();
        onA.disconnect().waitForCompletion(5_000);
        connect(b, "d-1");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            java.util.Map<String, Double> there = b.detector().orElseThrow().features(id).orElseThrow();
            assertThat(there.keySet()).isEqualTo(learned.keySet());
            assertThat(there.get("baseline_messages_per_s")).as("A's baseline, barely decayed")
                    .isCloseTo(learned.get("baseline_messages_per_s"), org.assertj.core.data.Percentage.withPercentage(10));
        });
        assertThat(api(b, "GET", "detection/devices/d-1", null)).contains("baseline_messages_per_s").endsWith("200");
    }

    /** Quarantines and releases of one device, half on each instance, from before {@code cut} until after {@code heal}. */
    private java.util.Set<Integer> changesAcross(ThrowingRunnable cut, ThrowingRunnable heal, String prefix)
            throws Exception {
        a.controlPlane().devices().add(prefix + "-1", "sensor", "plant-a", Duration.ofHours(1));
        java.util.Set<Integer> made = new java.util.TreeSet<>();
        for (int trial = 0; trial < 30; trial++) {
            if (trial == 10) {
                cut.run();
            }
            if (trial == 20) {
                heal.run();
            }
            RunningPalisade on = trial % 2 == 0 ? a : b;
            on.controlPlane().devices().quarantine(prefix + "-1", "scale-out test", Optional.of(prefix + " trial " + trial));
            on.controlPlane().devices().release(prefix + "-1", "scale-out test", Optional.empty());
            made.add(trial);
        }
        return made;
    }

    /** The trial numbers of quarantine events with reason "PREFIX trial N" in the shared store. */
    private java.util.Set<Integer> trialsInStore(String prefix) {
        java.util.Set<Integer> trials = new java.util.TreeSet<>();
        long after = 0;
        while (true) {
            List<io.palisade.core.event.SecurityEvent> page = a.controlPlane().events().query(
                    new io.palisade.core.event.EventQuery(after, io.palisade.core.event.EventQuery.MAX_LIMIT,
                            Optional.of(io.palisade.core.event.EventType.DEVICE_QUARANTINED), Optional.empty()));
            if (page.isEmpty()) {
                return trials;
            }
            for (io.palisade.core.event.SecurityEvent event : page) {
                java.util.regex.Matcher trial = java.util.regex.Pattern.compile(prefix + " trial ([0-9]+)")
                        .matcher(event.message());
                if (trial.find()) {
                    trials.add(Integer.parseInt(trial.group(1)));
                }
                after = event.id();
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Of two instances sharing the store, one exports to a SIEM destination (each would otherwise send every event);
     * when it stops, the other takes over from the shared cursor: every event arrives, none twice.
     */
    @Test
    void one_instance_exports_to_a_siem_and_the_other_takes_over_when_it_stops() throws Exception {
        try (java.net.ServerSocket receiver = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            List<String> records = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread accepting = new Thread(() -> receive(receiver, records), "siem-receiver");
            accepting.setDaemon(true);
            accepting.start();
            // Added on B: A hears of it through the bus and starts the same destination, standing by or exporting.
            assertThat(api(b, "POST", "siem", "{\"name\":\"soc\",\"url\":\"syslog+tcp://127.0.0.1:"
                    + receiver.getLocalPort() + "\",\"format\":\"json\",\"types\":[\"device.quarantined\"]}"))
                    .endsWith("201");
            RunningPalisade holder = api(a, "GET", "health", null).contains("\"duties\":\"held\"") ? a : b;
            RunningPalisade other = holder == a ? b : a;
            assertThat(api(other, "GET", "health", null)).contains("\"duties\":\"standby\"");
            for (int i = 0; i < 10; i++) {
                a.controlPlane().devices().add("s-" + i, "sensor", "plant-a", Duration.ofHours(1));
                (i % 2 == 0 ? a : b).controlPlane().devices().quarantine("s-" + i, "scale-out test", Optional.empty());
            }
            await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(quarantinesIn(records))
                    .as("exported so far: %s", records).isEqualTo(10));
            // Delivery is at least once: what the holder sent but the receiver had not yet confirmed (a syslog record
            // counts once its connection outlived it by 2 s) would be sent again by the next holder. A clean handover
            // comes after the holder's cursor has caught up.
            await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(api(holder, "GET", "siem", null))
                    .contains("\"backlog\":0,\"unconfirmed\":0"));
            holder.close();
            if (holder == a) {
                a = null;
            } else {
                b = null;
            }
            RunningPalisade survivor = other;
            await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(api(survivor, "GET", "health", null))
                    .contains("\"duties\":\"held\""));
            for (int i = 10; i < 20; i++) {
                survivor.controlPlane().devices().add("s-" + i, "sensor", "plant-a", Duration.ofHours(1));
                survivor.controlPlane().devices().quarantine("s-" + i, "scale-out test", Optional.empty());
            }
            await().atMost(PROPAGATION_BOUND).untilAsserted(() -> assertThat(quarantinesIn(records))
                    .as("exported so far: %s", records).isEqualTo(20));
            Thread.sleep(1_000); // a duplicate would arrive by now
            List<String> ids = new ArrayList<>();
            synchronized (records) {
                for (String record : records) {
                    if (record.contains("device.quarantined")) {
                        ids.add(record.replaceAll(".*\"device\":\"(s-[0-9]+)\".*", "$1"));
                    }
                }
            }
            assertThat(ids).as("each quarantine exported once").doesNotHaveDuplicates().hasSize(20);
        }
    }

    private static long quarantinesIn(List<String> records) {
        synchronized (records) {
            return records.stream().filter(r -> r.contains("device.quarantined")).count();
        }
    }

    /** A plain TCP syslog receiver: every record of every connection (RFC 6587 octet counting: "LENGTH RECORD"). */
    private static void receive(java.net.ServerSocket receiver, List<String> records) {
        while (!receiver.isClosed()) {
            try {
                java.net.Socket connection = receiver.accept();
                Thread reader = new Thread(() -> {
                    try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                            connection.getInputStream()))) {
                        while (true) {
                            int length = 0;
                            for (int c = in.readUnsignedByte(); c != ' '; c = in.readUnsignedByte()) {
                                length = length * 10 + (c - '0');
                            }
                            byte[] record = new byte[length];
                            in.readFully(record);
                            records.add(new String(record, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } catch (java.io.IOException e) {
                        // the sender went away
                    }
                }, "siem-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    @Test
    void each_instance_reports_the_bus_in_its_health() throws Exception {
        for (RunningPalisade instance : List.of(a, b)) {
            String health = api(instance, "GET", "health", null);
            assertThat(health).contains("\"status\":\"ok\"").contains("\"bus\":{\"state\":\"ok\"")
                    .contains("\"instance\":\"" + (instance == a ? "gw-a" : "gw-b") + "\"");
        }
    }

    private RunningPalisade start(Path data, String instance, String bus) throws Exception {
        ControlPlaneConfig config = ControlPlaneConfig.defaults(data).withPort(0).withBindAddress("127.0.0.1")
                .withStore(postgres.storeUrl());
        RunningPalisade.GatewayOptions gateway = new RunningPalisade.GatewayOptions(0,
                Optional.of("mqtt://127.0.0.1:1883"), Optional.empty(),
                GatewayLimits.defaults().with("connects-per-second-per-address", "10000"),
                Optional.of(io.palisade.detect.DetectionConfig.defaults().withAutoQuarantine(false)));
        return RunningPalisade.start(config, gateway, new RunningPalisade.ClusterOptions(
                Optional.of(KafkaBusUrl.parse(bus)), instance), Clock.systemUTC());
    }

    private MqttAsyncClient connect(RunningPalisade instance, String id) throws Exception {
        DeviceCredentials credentials = DeviceCredentials.read(dir.resolve(id));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TlsContexts.client(instance.controlPlane().ca().chain(),
                Optional.of(credentials.identity())).getSocketFactory());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        MqttAsyncClient client = new MqttAsyncClient("ssl://localhost:" + instance.mqttPort(), id,
                new MemoryPersistence());
        clients.add(client);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    /** A QoS 1 publish; the PUBACK's reason code (0 = accepted, 0x87 = not authorised). */
    private static int publish(MqttAsyncClient client, String topic) throws Exception {
        IMqttToken token = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (token == null) {
            try {
                token = client.publish(topic, new MqttMessage(new byte[8], 1, false, null));
            } catch (MqttException full) {
                // Paho wakes waitForCompletion before its callback thread frees the publish's place in the window
                // (Receive Maximum 20, Mosquitto's): publishing back to back, the client can run ahead of itself.
                if (full.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() > deadline) {
                    throw full;
                }
                Thread.sleep(1);
            }
        }
        try {
            token.waitForCompletion(10_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /**
     * Publishes until the gateway answers {@code code} (or any success for {@link #ACCEPTED}); returns the nanoTime
     * when the publish that got it was sent.
     */
    private static long untilReasonCode(MqttAsyncClient client, String topic, int code) throws Exception {
        long deadline = System.nanoTime() + PROPAGATION_BOUND.toNanos();
        while (true) {
            long sent = System.nanoTime();
            int answer = publish(client, topic);
            if (answer == code || code == ACCEPTED && answer < 0x80) {
                return sent;
            }
            assertThat(sent).as("reason code " + code + " for " + topic + " (still " + answer + ")").isLessThan(deadline);
        }
    }

    private static String summary(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%d trials, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
