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
 * acl.denied events per 10 s window and one summary that carries the count.
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
}
