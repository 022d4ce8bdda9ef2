package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.sim.SimulatedDevice;
import io.palisade.sim.SimulatedFleet;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole roll-out as an operator runs it: `palisade rollout` against a running Palisade, whose
 * simulated devices (real fleet client over mTLS MQTT, real TUF client over HTTPS, real boot
 * verifier) take the offer, install, trial-boot, confirm or revert, and report back.
 */
class RolloutIT {

    private static final int DEVICES = 200;

    @TempDir
    Path dir;

    private FleetFixture fixture;
    private SimulatedFleet fleet;
    private RunningPalisade palisade;

    @BeforeEach
    void start() throws Exception {
        // 3% of the fleet fails the self-check of new firmware (and reverts).
        fixture = new FleetFixture(dir, DEVICES, 0.03);
        fixture.publish("firmware/sensor-2.0.0.img", fixture.image("2.0.0", 2, fixture.firmwareKey));
        fleet = fixture.fleet;
        palisade = fixture.palisade;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Cli.Result rollout(String... args) {
        return fixture.cli("rollout", args);
    }

    /** Waits for a roll-out state; on time-out the failure shows where the roll-out stood and what happened. */
    private void awaitState(String id, String state, Duration limit) throws Exception {
        try {
            await().atMost(limit).until(() -> status(id).get("state").asText().equals(state));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            JsonNode now = status(id);
            StringBuilder story = new StringBuilder("roll-out not " + state + " after " + limit + ": state "
                    + now.get("state").asText() + ", counts " + now.path("counts") + "\n");
            for (JsonNode device : now.get("devices")) {
                if (!device.path("state").asText().equals("pending")) {
                    story.append("  ").append(device).append('\n');
                }
            }
            palisade.controlPlane().events().query(EventQuery.all()).stream()
                    .filter(event -> event.severity().ordinal() >= io.palisade.core.event.Severity.MEDIUM.ordinal())
                    .limit(50).forEach(event -> story.append("  event ").append(event.type().wireName()).append(' ')
                            .append(event.message()).append('\n'));
            throw new AssertionError(story.toString(), e);
        }
    }

    private JsonNode status(String id) throws Exception {
        Cli.Result result = rollout("status", id);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return new ObjectMapper().readTree(result.out());
    }

    @Test
    void a_roll_out_across_200_devices_goes_wave_by_wave_and_completes_with_the_failures_reported() throws Exception {
        // The 6 failing devices land at random in the waves (the order is drawn per roll-out). A wave whose devices
        // have all reported halts when too few installed, and an error threshold halts on failures: with a success
        // threshold of 0.9, two failing devices among the first 10 would halt it (about 3% of orders: that
        // happened); with 0.5 and 0.5, all 6 would have to be among the first 10.
        Cli.Result created = rollout("create", "firmware/sensor-2.0.0.img", "--waves", "5%,25%,100%",
                "--success-threshold", "0.5", "--error-threshold", "0.5");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(created.out());
        String id = summary.get("id").asText();
        assertThat(summary.get("waves").asInt()).isEqualTo(3);
        assertThat(summary.path("counts").get("notified").asInt()).isEqualTo(10);

        awaitState(id, "completed", Duration.ofSeconds(120));
        JsonNode done = status(id);
        int failing = (int) fleet.devices().stream()
                .filter(d -> d.behaviour() == SimulatedDevice.Behaviour.FAILS_SELF_CHECK).count();
        // The last wave completes once half of it installed; stragglers still finish after that.
        await().atMost(Duration.ofSeconds(60)).until(() -> status(id).path("counts").get("installed").asInt()
                + status(id).path("counts").get("failed").asInt() == DEVICES);
        done = status(id);
        assertThat(done.path("counts").get("failed").asInt()).isEqualTo(failing);
        assertThat(done.path("counts").get("installed").asInt()).isEqualTo(DEVICES - failing);
        for (SimulatedDevice device : fleet.devices()) {
            String expected = device.behaviour() == SimulatedDevice.Behaviour.HEALTHY ? "2.0.0" : "1.0.0";
            assertThat(device.runningVersion().toString()).as(device.id().value()).startsWith(expected);
        }
        for (JsonNode device : done.get("devices")) {
            if (device.get("state").asText().equals("failed")) {
                assertThat(device.get("detail").asText()).contains("self-check");
            }
        }
        List<SecurityEvent> events = palisade.controlPlane().events().query(EventQuery.all());
        assertThat(events.stream().filter(e -> e.type() == EventType.FIRMWARE_INSTALLED)).hasSize(DEVICES - failing);
        assertThat(events.stream().filter(e -> e.type() == EventType.FIRMWARE_REJECTED)).hasSize(failing);
        // The fleet inventory (device list, the console) shows what each device last installed.
        JsonNode listed = new ObjectMapper().readTree(fixture.cli("device", "list").out());
        for (JsonNode device : listed.path("devices")) {
            boolean healthy = fleet.devices().stream().filter(d -> d.id().value().equals(device.path("id").asText()))
                    .anyMatch(d -> d.behaviour() == SimulatedDevice.Behaviour.HEALTHY);
            assertThat(device.path("firmware").asText(null)).as(device.path("id").asText())
                    .isEqualTo(healthy ? "firmware/sensor-2.0.0.img" : null);
        }
    }

    @Test
    void an_image_the_devices_refuse_halts_the_roll_out_in_its_first_wave() throws Exception {
        KeyPair unknown = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        fixture.publish("firmware/sensor-3.0.0.img", fixture.image("3.0.0", 3, unknown));
        Cli.Result created = rollout("create", "firmware/sensor-3.0.0.img", "--waves", "10,50%,100%",
                "--error-threshold", "0.2");
        String id = new ObjectMapper().readTree(created.out()).get("id").asText();

        awaitState(id, "halted", Duration.ofSeconds(60));
        JsonNode halted = status(id);
        assertThat(halted.get("reason").asText()).contains("error threshold");
        assertThat(halted.path("counts").get("pending").asInt()).as("later waves never offered").isEqualTo(DEVICES - 10);
        assertThat(fleet.devices()).allSatisfy(d -> assertThat(d.runningVersion().toString()).startsWith("1.0.0"));
        assertThat(palisade.controlPlane().events().query(EventQuery.all()).stream()
                .filter(e -> e.type() == EventType.FIRMWARE_REJECTED && e.message().contains("halted"))).hasSize(1);

        Cli.Result approve = rollout("approve", id);
        assertThat(approve.exitCode()).isNotZero();
        assertThat(approve.err()).contains("halted");
    }
}
