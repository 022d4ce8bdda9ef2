package io.palisade.app.sim;

import io.palisade.app.RunningPalisade;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.detect.DetectionConfig;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import io.palisade.sim.eval.Evaluation;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@code palisade detect eval --live}: the fast attacks of the evaluation against a real running
 * Palisade in wall-clock time — real mutual-TLS MQTT sessions (Paho) through the real gateway, the
 * detector behind it and the control plane quarantining. A fleet publishes telemetry while devices
 * one by one scan topics, inject commands into their neighbours, flood, and an outside address tries
 * TLS logins without a certificate. Reports per scenario the time from the attack's first packet to
 * its detection and to the quarantine, and any finding about a device that was not attacking.
 */
public final class LiveEvaluation {

    /** The live scenarios (the fast ones: the slow ones need hours, which the virtual-time evaluation covers). */
    public enum Scenario { TOPIC_SCAN, LATERAL_INJECTION, DDOS_FLOOD, BRUTE_FORCE }

    /** One scenario's figures, in seconds from the attack's first packet. */
    public record Row(Scenario scenario, int instances, int detected, Optional<Double> medianDetect,
                      Optional<Double> p95Detect, int quarantined, Optional<Double> medianQuarantine,
                      Optional<Double> p95Quarantine) {
    }

    /** @param normalDevices how many of the {@code devices} never attacked */
    public record Result(List<Row> rows, int devices, int normalDevices, long falseAlarms, double seconds) {
    }

    private static final long WAIT_MILLIS = 15_000;

    private final RunningPalisade palisade;
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<DeviceId> ids = new ArrayList<>();
    private final List<DeviceCredentials> credentials = new ArrayList<>();
    private final ScheduledExecutorService telemetry = Executors.newScheduledThreadPool(2);

    private LiveEvaluation(RunningPalisade palisade) {
        this.palisade = palisade;
    }

    public static Result run(Path dataDir, int devices, int instances, PrintStream progress) throws Exception {
        if (devices < 3 * instances + 2 || instances < 1 || devices > 500) {
            throw new IllegalArgumentException("--live needs --devices of at least 3 x --instances + 2 (and at most 500)");
        }
        long started = System.nanoTime();
        RunningPalisade palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dataDir).withPort(0)
                        .withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(), GatewayLimits.defaults(),
                        Optional.of(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(10)))),
                Clock.systemUTC());
        LiveEvaluation evaluation = new LiveEvaluation(palisade);
        try {
            evaluation.connectFleet(devices, progress);
            progress.println("fleet of " + devices + " publishing; attacks start in 12 s");
            Thread.sleep(12_000);
            List<Row> rows = new ArrayList<>();
            Set<String> attacked = new HashSet<>();
            int next = 0;
            for (Scenario scenario : Scenario.values()) {
                List<Double> detect = new ArrayList<>();
                List<Double> quarantine = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    String subject;
                    long t0 = System.currentTimeMillis();
                    if (scenario == Scenario.BRUTE_FORCE) {
                        subject = "127.0.9." + (10 + i);
                        evaluation.bruteForce(subject);
                    } else {
                        int attacker = next++;
                        subject = evaluation.ids.get(attacker).value();
                        evaluation.attack(scenario, attacker);
                    }
                    attacked.add(subject);
                    Optional<Instant> found = evaluation.await(EventType.ANOMALY_DETECTED, subject, t0);
                    Optional<Instant> confined = scenario == Scenario.BRUTE_FORCE ? Optional.empty()
                            : evaluation.await(EventType.DEVICE_QUARANTINED, subject, t0);
                    found.ifPresent(t -> detect.add((t.toEpochMilli() - t0) / 1000.0));
                    confined.ifPresent(t -> quarantine.add((t.toEpochMilli() - t0) / 1000.0));
                    progress.printf(Locale.ROOT, "%s by %s: %s%s%n", scenario.name().toLowerCase(Locale.ROOT)
                                    .replace('_', '-'), subject, found.map(t -> "detected after " + (t.toEpochMilli() - t0)
                                    + " ms").orElse("NOT detected"),
                            confined.map(t -> ", quarantined after " + (t.toEpochMilli() - t0) + " ms").orElse(""));
                }
                rows.add(new Row(scenario, instances, detect.size(), Evaluation.percentile(detect, 50),
                        Evaluation.percentile(detect, 95), quarantine.size(), Evaluation.percentile(quarantine, 50),
                        Evaluation.percentile(quarantine, 95)));
            }
            long falseAlarms = palisade.controlPlane().events().query(EventQuery.all()).stream()
                    .filter(e -> e.type() == EventType.ANOMALY_DETECTED)
                    .filter(e -> !attacked.contains(subject(e)))
                    .count();
            return new Result(rows, devices, devices - next, falseAlarms, (System.nanoTime() - started) / 1e9);
        } finally {
            evaluation.close();
        }
    }

    private void connectFleet(int devices, PrintStream progress) throws Exception {
        var ca = palisade.controlPlane().ca().chain();
        EstClient est = new EstClient(URI.create("https://127.0.0.1:" + palisade.controlPlane().httpsPort()),
                TlsContexts.client(ca, Optional.empty()));
        for (int i = 0; i < devices; i++) {
            String id = "live-" + i;
            var registration = palisade.controlPlane().devices().add(id, "sensor", "live", Duration.ofHours(1));
            KeyPair keys = KeyPairs.newP256();
            DeviceCredentials device;
            try (var token = registration.token()) {
                device = new DeviceCredentials(keys.getPrivate(), est.enroll(DeviceId.of(id), token, keys), ca);
            }
            MqttClient client = new MqttClient("ssl://localhost:" + palisade.mqttPort(), id, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(TlsContexts.client(ca, Optional.of(device.identity())).getSocketFactory());
            options.setCleanSession(true);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            client.connect(options);
            client.setTimeToWait(2000); // a throttled or cut-off attacker must not block the evaluation
            ids.add(DeviceId.of(id));
            credentials.add(device);
            clients.add(client);
            String topic = "devices/" + id + "/telemetry";
            telemetry.scheduleAtFixedRate(() -> publish(client, topic, "{\"t\":21.5,\"ok\":true}".getBytes(
                    StandardCharsets.US_ASCII), 1), 500 + i * 97L % 2000, 2000, TimeUnit.MILLISECONDS);
        }
        progress.println("enrolled and connected " + devices + " devices over EST and mutual TLS");
    }

    private void attack(Scenario scenario, int attacker) throws Exception {
        MqttClient client = clients.get(attacker);
        switch (scenario) {
            case TOPIC_SCAN -> {
                for (int i = 0; i < 30; i++) { // ten filters a second
                    try {
                        client.subscribe(i == 0 ? "#" : "plant/line-" + i + "/#", 0);
                    } catch (MqttException refused) {
                        // refused subscriptions are the point
                    }
                    Thread.sleep(100);
                }
            }
            case LATERAL_INJECTION -> {
                for (int i = 0; i < 6; i++) { // two a second into other devices' command topics
                    String victim = ids.get((attacker + 1 + i) % ids.size()).value();
                    publish(client, "devices/" + victim + "/cmd/set", "{\"valve\":\"open\"}".getBytes(
                            StandardCharsets.US_ASCII), 1);
                    Thread.sleep(500);
                }
            }
            case DDOS_FLOOD -> {
                byte[] junk = new byte[512];
                long until = System.currentTimeMillis() + 5_000;
                while (System.currentTimeMillis() < until) { // as fast as the gateway reads
                    publish(client, "devices/" + ids.get(attacker).value() + "/telemetry", junk, 0);
                }
            }
            case BRUTE_FORCE -> throw new IllegalArgumentException("brute force comes from an address");
        }
    }

    /** Twenty TLS logins without a client certificate, ten a second, from {@code address} (a loopback alias). */
    private void bruteForce(String address) throws Exception {
        var context = TlsContexts.client(palisade.controlPlane().ca().chain(), Optional.empty());
        for (int i = 0; i < 20; i++) {
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.bind(new InetSocketAddress(address, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", palisade.mqttPort()), 2000);
                socket.setSoTimeout(2000);
                socket.startHandshake();
                socket.getInputStream().read(); // TLS 1.3: the refusal arrives after the client's handshake
            } catch (java.io.IOException refused) {
                // refused, as it must be
            }
            Thread.sleep(100);
        }
    }

    private static void publish(MqttClient client, String topic, byte[] payload, int qos) {
        try {
            if (client.isConnected()) {
                client.publish(topic, payload, qos, false);
            }
        } catch (MqttException e) {
            // a quarantined or throttled device's publishes may fail; the gateway decides, not the client
        }
    }

    /** When the first event of {@code type} about {@code subject} at or after {@code sinceMillis} was recorded. */
    private Optional<Instant> await(EventType type, String subject, long sinceMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Instant> found = palisade.controlPlane().events().query(EventQuery.all()).stream()
                    .filter(e -> e.type() == type && subject.equals(subject(e)))
                    .map(SecurityEvent::time)
                    .filter(t -> t.toEpochMilli() >= sinceMillis - 5)
                    .min(Instant::compareTo);
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private static String subject(SecurityEvent event) {
        String source = event.source() == null ? "" : event.source();
        int port = source.lastIndexOf(':');
        return event.device().map(DeviceId::value).orElse(port > 0 && source.indexOf(':') == port
                ? source.substring(0, port) : source);
    }

    /** The result as a table. */
    public static void print(Result result, PrintStream out) {
        out.printf(Locale.ROOT, "Live detection evaluation: real gateway, %d devices publishing (%d never attacking),"
                + " %.0f s%n%n", result.devices(), result.normalDevices(), result.seconds());
        out.printf(Locale.ROOT, "%-18s %9s %9s %19s %19s%n", "scenario", "instances", "detected", "detect med/p95 s",
                "quarantine med/p95 s");
        for (Row row : result.rows()) {
            out.printf(Locale.ROOT, "%-18s %9d %9d %19s %19s%n", row.scenario().name().toLowerCase(Locale.ROOT)
                            .replace('_', '-'), row.instances(), row.detected(), pair(row.medianDetect(), row.p95Detect()),
                    row.scenario() == Scenario.BRUTE_FORCE ? "n/a (address)" : pair(row.medianQuarantine(),
                            row.p95Quarantine()));
        }
        out.printf(Locale.ROOT, "%nfindings about devices that did not attack: %d%n", result.falseAlarms());
    }

    private static String pair(Optional<Double> median, Optional<Double> p95) {
        return median.map(m -> String.format(Locale.ROOT, "%.2f / %.2f", m, p95.orElse(m))).orElse("-");
    }

    private void close() {
        telemetry.shutdownNow();
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(1000, 1000);
                }
                client.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        palisade.close();
    }
}
