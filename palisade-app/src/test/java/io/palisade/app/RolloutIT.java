package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import io.palisade.sim.SimulatedDevice;
import io.palisade.sim.SimulatedFleet;
import io.palisade.sim.SimulationConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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

    private RunningPalisade palisade;
    private SimulatedFleet fleet;
    private final KeyPair firmwareKey = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
    private String server;

    RolloutIT() throws Exception {
    }

    private byte[] image(String version, long counter, KeyPair key) throws Exception {
        return ImageSigner.sign(("sensor firmware " + version).repeat(200).getBytes(),
                ImageSigner.softwareKey(key.getPrivate(), key.getPublic()), ImageVersion.parse(version),
                OptionalLong.of(counter), 0x200, 0);
    }

    private void publish(String name, byte[] image) throws Exception {
        TufRepositoryWriter repo = new TufRepositoryWriter(dir.resolve("data/tuf"), Clock.systemUTC());
        Path file = dir.resolve("upload.img");
        Files.write(file, image);
        repo.addTarget(file, name);
        repo.publish();
    }

    @BeforeEach
    void start() throws Exception {
        Path data = dir.resolve("data");
        palisade = RunningPalisade.start(ControlPlaneConfig.defaults(data).withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                        GatewayLimits.defaults().with("connects-per-second-per-address", "10000")), Clock.systemUTC());
        server = "https://127.0.0.1:" + palisade.controlPlane().httpsPort();
        new TufRepositoryWriter(data.resolve("tuf"), Clock.systemUTC()).init();
        publish("firmware/sensor-2.0.0.img", image("2.0.0", 2, firmwareKey));

        var ca = palisade.controlPlane().ca().chain();
        HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.client(ca, Optional.empty())).build();
        EstClient est = new EstClient(URI.create(server), TlsContexts.client(ca, Optional.empty()));
        SimulationConfig config = new SimulationConfig("localhost", palisade.mqttPort(), URI.create(server + "/tuf/"),
                http, Files.readAllBytes(data.resolve("tuf/metadata/1.root.json")), List.of(firmwareKey.getPublic()),
                Clock.systemUTC());
        SimulatedFleet.Provisioner provisioner = id -> {
            var registration = palisade.controlPlane().devices().add(id.value(), "sensor", "plant-a", Duration.ofHours(1));
            KeyPair keys = KeyPairs.newP256();
            try (var token = registration.token()) {
                return new DeviceCredentials(keys.getPrivate(), est.enroll(id, token, keys), ca);
            }
        };
        // 3% of the fleet fails the self-check of new firmware (and reverts).
        fleet = SimulatedFleet.start(config, provisioner, "sim-", DEVICES, 0.03, image("1.0.0", 1, firmwareKey), 42);
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (palisade != null) {
            palisade.close();
        }
    }

    private Cli.Result rollout(String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "rollout";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = dir.resolve("data").toString();
        all[args.length + 3] = "--server";
        all[args.length + 4] = server;
        all[args.length + 5] = "--json";
        return Cli.run(all);
    }

    private JsonNode status(String id) throws Exception {
        Cli.Result result = rollout("status", id);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return new ObjectMapper().readTree(result.out());
    }

    @Test
    void a_roll_out_across_200_devices_goes_wave_by_wave_and_completes_with_the_failures_reported() throws Exception {
        Cli.Result created = rollout("create", "firmware/sensor-2.0.0.img", "--waves", "5%,25%,100%",
                "--success-threshold", "0.9", "--error-threshold", "0.1");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(created.out());
        String id = summary.get("id").asText();
        assertThat(summary.get("waves").asInt()).isEqualTo(3);
        assertThat(summary.path("counts").get("notified").asInt()).isEqualTo(10);

        await().atMost(Duration.ofSeconds(120)).until(() -> status(id).get("state").asText().equals("completed"));
        JsonNode done = status(id);
        int failing = (int) fleet.devices().stream()
                .filter(d -> d.behaviour() == SimulatedDevice.Behaviour.FAILS_SELF_CHECK).count();
        // The last wave completes once 90% of it installed; stragglers still finish after that.
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
    }

    @Test
    void an_image_the_devices_refuse_halts_the_roll_out_in_its_first_wave() throws Exception {
        KeyPair unknown = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        publish("firmware/sensor-3.0.0.img", image("3.0.0", 3, unknown));
        Cli.Result created = rollout("create", "firmware/sensor-3.0.0.img", "--waves", "10,50%,100%",
                "--error-threshold", "0.2");
        String id = new ObjectMapper().readTree(created.out()).get("id").asText();

        await().atMost(Duration.ofSeconds(60)).until(() -> status(id).get("state").asText().equals("halted"));
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
