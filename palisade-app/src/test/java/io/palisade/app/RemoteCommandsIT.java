package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.sim.SimulatedDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote wipe and reflash of quarantined devices as an operator runs them (`palisade device wipe`,
 * `palisade device reflash`), carried out by simulated devices that verify the signed command.
 */
class RemoteCommandsIT {

    @TempDir
    Path dir;

    private FleetFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new FleetFixture(dir, 3, 0);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private SimulatedDevice device(String id) {
        return fixture.fleet.devices().stream().filter(d -> d.id().value().equals(id)).findFirst().orElseThrow();
    }

    private List<SecurityEvent> events(EventType type) {
        return fixture.palisade.controlPlane().events().query(EventQuery.all()).stream().filter(e -> e.type() == type)
                .toList();
    }

    @Test
    void a_quarantined_device_is_crypto_erased_on_a_signed_command_and_its_neighbours_are_untouched() throws Exception {
        Cli.Result refused = fixture.cli("device", "wipe", "sim-0");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("not quarantined");

        assertThat(fixture.cli("device", "quarantine", "sim-0", "--reason", "stolen").exitCode()).isZero();
        Cli.Result sent = fixture.cli("device", "wipe", "sim-0", "--reason", "stolen from the substation");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("\"command\" : \"wipe\"");

        await().atMost(Duration.ofSeconds(20)).until(() -> !events(EventType.DEVICE_WIPED).isEmpty());
        assertThat(events(EventType.DEVICE_WIPED)).singleElement()
                .satisfies(e -> assertThat(e.device().orElseThrow().value()).isEqualTo("sim-0"))
                .satisfies(e -> assertThat(e.message()).contains("2 records overwritten").contains("enroll again"));
        assertThat(device("sim-0").wiped()).isTrue();
        assertThat(device("sim-0").record("wifi-psk")).isEmpty();
        assertThat(device("sim-1").wiped()).isFalse();
        assertThat(new String(device("sim-1").record("wifi-psk").orElseThrow())).isEqualTo("secret of sim-1");
        assertThat(events(EventType.COMMAND_FAILED)).isEmpty();

        // Its keys are gone, so are its certificates: revoked, on the CRL, and the device may enroll again.
        await().atMost(Duration.ofSeconds(20)).until(() -> events(EventType.CERT_REVOKED).stream()
                .anyMatch(e -> e.device().map(d -> d.value().equals("sim-0")).orElse(false)));
        assertThat(events(EventType.CERT_REVOKED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("remote wipe confirmed").contains("enrolls again"));
        var registry = fixture.palisade.controlPlane().registry();
        assertThat(registry.find(io.palisade.core.device.DeviceId.of("sim-0")).orElseThrow().state())
                .isEqualTo(io.palisade.core.device.DeviceState.REGISTERED);
        assertThat(registry.revokedUnexpired(java.time.Instant.now())).isNotEmpty()
                .allMatch(c -> c.device().value().equals("sim-0"));
        Cli.Result token = fixture.cli("device", "token", "sim-0");
        assertThat(token.exitCode()).as(token.err()).isZero();
        assertThat(registry.find(io.palisade.core.device.DeviceId.of("sim-1")).orElseThrow().state())
                .isEqualTo(io.palisade.core.device.DeviceState.ENROLLED);
    }

    @Test
    void a_quarantined_device_is_reflashed_with_a_known_good_image_and_a_refused_image_changes_nothing()
            throws Exception {
        fixture.publish("firmware/sensor-1.5.0.img", fixture.image("1.5.0", 1, fixture.firmwareKey));
        fixture.publish("firmware/rollback-0.9.0.img", fixture.image("0.9.0", 0, fixture.firmwareKey));
        assertThat(fixture.cli("device", "quarantine", "sim-1").exitCode()).isZero();

        Cli.Result sent = fixture.cli("device", "reflash", "sim-1", "--image", "firmware/sensor-1.5.0.img");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> events(EventType.FIRMWARE_INSTALLED).stream()
                .anyMatch(e -> e.message().contains("reflashed")));
        assertThat(device("sim-1").runningVersion().toString()).startsWith("1.5.0");

        fixture.cli("device", "reflash", "sim-1", "--image", "firmware/rollback-0.9.0.img");
        await().atMost(Duration.ofSeconds(20)).until(() -> !events(EventType.COMMAND_FAILED).isEmpty());
        assertThat(events(EventType.COMMAND_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("rollback refused"));
        assertThat(device("sim-1").runningVersion().toString()).startsWith("1.5.0");

        Cli.Result unknown = fixture.cli("device", "reflash", "sim-1", "--image", "firmware/nope.img");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no published target");
    }

    @Test
    void a_roll_out_can_target_the_devices_an_operator_tagged() throws Exception {
        fixture.publish("firmware/sensor-2.0.0.img", fixture.image("2.0.0", 2, fixture.firmwareKey));
        Cli.Result tagged = fixture.cli("device", "tag", "sim-2", "--add", "canary");
        assertThat(tagged.exitCode()).as(tagged.err()).isZero();
        assertThat(tagged.out()).contains("\"canary\"");
        assertThat(fixture.cli("device", "tag", "sim-1", "--add", "Not A Tag").err()).contains("invalid tag name");

        Cli.Result created = fixture.cli("rollout", "create", "firmware/sensor-2.0.0.img", "--tag", "canary");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("\"notified\" : 1");
        await().atMost(Duration.ofSeconds(20)).until(() -> device("sim-2").runningVersion().toString().startsWith("2.0.0"));
        assertThat(device("sim-0").runningVersion().toString()).startsWith("1.0.0");
        assertThat(device("sim-1").runningVersion().toString()).startsWith("1.0.0");
    }

    @Test
    void a_devices_agent_reports_a_changed_application_file_as_a_file_modified_event() throws Exception {
        Path app = device("sim-1").watchApplicationFiles();
        java.nio.file.Files.writeString(app.resolve("agent.sh"), "#!/bin/sh\nexec sensor-agent; nc -l 4444\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> !events(EventType.FILE_MODIFIED).isEmpty());
        assertThat(events(EventType.FILE_MODIFIED)).singleElement().satisfies(e -> {
            assertThat(e.device().orElseThrow().value()).isEqualTo("sim-1");
            assertThat(e.details()).containsEntry("path", "agent.sh").containsEntry("kind", "modified");
            assertThat(e.details().get("changed")).contains("sha256");
            assertThat(e.message()).contains("agent.sh changed");
        });
    }
}
