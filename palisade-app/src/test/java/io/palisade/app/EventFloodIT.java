package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.event.EventAggregator;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.gateway.GatewayLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quarantined device hammering refused publishes (mosquitto_pub) does not flood the store: a few
 * acl.denied events per 10 s window and one summary that carries the count. Nor do malformed HTTPS requests
 * (two Authorization headers) from hundreds of addresses at once: the global budget caps what is stored one by one and merges the
 * summaries beyond the largest, and every one of them is still counted.
 */
class EventFloodIT {

    @TempDir
    Path dir;

    @Test
    void refused_publishes_of_a_quarantined_device_are_stored_aggregated() throws Exception {
        try (RunningPalisade palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data"))
                        .withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                        GatewayLimits.defaults().withMessageRate(1_000_000, 1_000_000), Optional.empty()),
                Clock.systemUTC())) {
            Path device = EstEnrollment.enroll(palisade, dir, "noisy-1");
            palisade.controlPlane().devices().quarantine("noisy-1", "test", Optional.of("flood test"));
            Processes.Result flood = Processes.run(List.of("mosquitto_pub", "-h", "localhost", "-p",
                    Integer.toString(palisade.mqttPort()), "--cafile", device.resolve("ca.pem").toString(), "--cert",
                    device.resolve("cert.pem").toString(), "--key", device.resolve("key.pem").toString(), "-i",
                    "noisy-1", "-t", "devices/noisy-1/t", "-m", "x", "--repeat", "5000", "--repeat-delay", "0",
                    "-V", "mqttv311"));
            assertThat(flood.exitCode()).as(flood.output()).isZero();
            // mosquitto_pub is done when it has written; the gateway is done when it has read up to the
            // DISCONNECT and ended the session.
            for (int i = 0; i < 300 && palisade.isConnected("noisy-1"); i++) {
                Thread.sleep(100);
            }
            assertThat(palisade.isConnected("noisy-1")).as("session ended").isFalse();
        }
        // Closing wrote the open window's summary; read the store as a restarted instance would.
        try (RunningPalisade again = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data"))
                        .withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(), GatewayLimits.defaults(),
                        Optional.empty()), Clock.systemUTC())) {
            List<SecurityEvent> denied = again.controlPlane().events().query(EventQuery.all()).stream()
                    .filter(e -> e.type() == EventType.ACL_DENIED).toList();
            long suppressed = denied.stream().mapToLong(e -> Long.parseLong(e.details().getOrDefault("suppressed", "0")))
                    .sum();
            long individual = denied.stream().filter(e -> !e.details().containsKey("suppressed")).count();
            System.out.printf("5000 refused publishes: %d acl.denied events stored, %d counted in summaries%n",
                    denied.size(), suppressed);
            assertThat(denied.size()).as("stored events").isLessThan(50);
            assertThat(individual + suppressed).as("every refusal is accounted for").isEqualTo(5000);
        }
    }

    @Test
    void malformed_requests_from_many_addresses_stay_within_the_global_event_budget() throws Exception {
        int addresses = 250;
        int perAddress = 6;
        int budget = 200;
        ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0).withBindAddress("127.0.0.1")
                .withEventRetention(new io.palisade.control.EventRetention(java.time.Duration.ofDays(90), 10_000_000, budget));
        RunningPalisade.GatewayOptions gateway = new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                GatewayLimits.defaults(), Optional.empty());
        long elapsedMillis;
        try (RunningPalisade palisade = RunningPalisade.start(config, gateway, Clock.systemUTC())) {
            javax.net.ssl.SSLSocketFactory tls = io.palisade.pki.TlsContexts.client(
                    palisade.controlPlane().ca().chain(), Optional.empty()).getSocketFactory();
            int port = palisade.controlPlane().httpsPort();
            long start = System.nanoTime();
            var senders = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int a = 0; a < addresses; a++) {
                java.net.InetAddress from = java.net.InetAddress.getByName("127.0.2." + (1 + a));
                sent.add(senders.submit(() -> {
                  for (int round = 0; round < perAddress; round++) {
                    try (java.net.Socket socket = tls.createSocket("localhost", port, from, 0)) {
                        socket.getOutputStream().write(("GET /api/v1/devices HTTP/1.1\r\nHost: localhost\r\n"
                                + "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        String status = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
                        assertThat(status).isEqualTo("HTTP/1.1 400");
                    }
                  }
                  return null;
                }));
            }
            for (var each : sent) {
                each.get();
            }
            senders.shutdown();
            elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        }
        try (RunningPalisade again = RunningPalisade.start(config, gateway, Clock.systemUTC())) {
            List<SecurityEvent> floods = new java.util.ArrayList<>();
            for (List<SecurityEvent> page = List.of(); floods.isEmpty() || !page.isEmpty(); floods.addAll(page)) {
                page = again.controlPlane().events().query(new EventQuery(floods.isEmpty() ? 0 : floods.get(floods.size() - 1).id(),
                        EventQuery.MAX_LIMIT, Optional.of(EventType.PROTOCOL_VIOLATION), Optional.empty()));
            }
            long suppressed = floods.stream().mapToLong(e -> Long.parseLong(e.details().getOrDefault("suppressed", "0"))).sum();
            long individual = floods.stream().filter(e -> !e.details().containsKey("suppressed")).count();
            System.out.printf("%d malformed requests from %d addresses: %d protocol.violation events stored (%d one by one),"
                    + " %d counted in summaries%n", addresses * perAddress, addresses, floods.size(), individual, suppressed);
            // The budget's windows run from the start of the instance, not of the flood: a flood of T seconds
            // touches at most floor(T / 10 s) + 2 of them.
            long windows = elapsedMillis / io.palisade.control.EventRetention.FLOOD_WINDOW.toMillis() + 2;
            System.out.printf("flood took %.1f s (%d budget windows of %d events)%n", elapsedMillis / 1000.0, windows, budget);
            assertThat(individual).as("stored one by one: within the budget of every window the flood touched, and far"
                    + " below the %d that per-address limits alone let through", addresses * EventAggregator.PASSED_PER_WINDOW)
                    .isLessThanOrEqualTo(budget * windows);
            assertThat(floods.size() - individual).as("summaries")
                    .isLessThanOrEqualTo(2L * (EventAggregator.SUMMARIES_PER_WINDOW + 1));
            assertThat(individual + suppressed).as("every malformed request is accounted for")
                    .isEqualTo((long) addresses * perAddress);
        }
    }
}
