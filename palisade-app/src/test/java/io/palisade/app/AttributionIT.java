package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.detect.DetectionConfig;
import io.palisade.gateway.GatewayLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence an unauthenticated party can produce counts against its source, never against the device it
 * names: failed enrollments naming a healthy device, and a revoked device's reconnects, must not get a
 * device quarantined (with detection on, short learning period, default responses).
 */
class AttributionIT {

    @TempDir
    Path dir;

    private RunningPalisade palisade;

    @BeforeEach
    void start() throws Exception {
        palisade = RunningPalisade.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                        .withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(), GatewayLimits.defaults(),
                        Optional.of(DetectionConfig.defaults().withLearningPeriod(Duration.ofSeconds(1)))),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (palisade != null) {
            palisade.close();
        }
    }

    @Test
    void failed_enrollments_naming_a_device_count_against_the_source_not_the_device() throws Exception {
        enroll("victim-1");
        Thread.sleep(1500); // past the learning period: detection responds from now on
        String url = "https://127.0.0.1:" + palisade.controlPlane().httpsPort() + "/.well-known/est/simpleenroll";
        for (int i = 0; i < 15; i++) {
            Processes.Result curl = Processes.run(List.of("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                    "-u", "victim-1:wrong-token-" + i, "-X", "POST", "-H", "Content-Type: application/pkcs10",
                    "--data-binary", "MIIB", url));
            assertThat(curl.output()).isIn("401", "429");
        }
        Thread.sleep(2000); // detection runs on its own thread
        assertThat(palisade.controlPlane().devices().show("victim-1").quarantined()).isFalse();
        List<SecurityEvent> failures = events(EventType.AUTH_FAILED);
        assertThat(failures).isNotEmpty().allSatisfy(e -> {
            assertThat(e.device()).as("never the named device").isEmpty();
            assertThat(e.details()).containsEntry("claimed_device", "victim-1");
        });
        assertThat(events(EventType.ANOMALY_DETECTED)).noneMatch(e -> e.device().isPresent());
    }

    @Test
    void a_revoked_devices_reconnects_are_summarised_and_quarantine_nothing() throws Exception {
        Path gone = enroll("gone-1");
        Thread.sleep(1500);
        palisade.controlPlane().devices().revoke("gone-1", "test", Optional.of("stolen"));
        for (int i = 0; i < 12; i++) {
            Processes.run(List.of("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(palisade.mqttPort()),
                    "--cafile", gone.resolve("ca.pem").toString(), "--cert", gone.resolve("cert.pem").toString(),
                    "--key", gone.resolve("key.pem").toString(), "-i", "gone-1", "-t", "devices/gone-1/t", "-m", "x",
                    "-V", "mqttv311"));
        }
        Thread.sleep(2000);
        List<SecurityEvent> refused = events(EventType.AUTH_FAILED).stream()
                .filter(e -> "gone-1".equals(e.details().get("claimed_device"))).toList();
        assertThat(refused).as("one summary per interval, not one per attempt").hasSizeBetween(1, 3)
                .allSatisfy(e -> assertThat(e.device()).isEmpty());
        assertThat(events(EventType.DEVICE_QUARANTINED)).as("nothing quarantined").isEmpty();
        assertThat(events(EventType.ANOMALY_DETECTED)).noneMatch(e -> e.device().isPresent());
    }

    private List<SecurityEvent> events(EventType type) {
        return palisade.controlPlane().events().query(EventQuery.all()).stream().filter(e -> e.type() == type)
                .toList();
    }

    private Path enroll(String id) throws Exception {
        return EstEnrollment.enroll(palisade, dir, id);
    }
}
