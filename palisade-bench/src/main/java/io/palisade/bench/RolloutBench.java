package io.palisade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.RunningPalisade;
import io.palisade.app.client.ApiClient;
import io.palisade.app.sim.ApiProvisioner;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.control.DataDirectory;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.EstClient;
import io.palisade.sim.SimulatedFleet;
import io.palisade.sim.SimulationConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A whole roll-out in the simulator: N simulated devices (real agent, TUF client and boot verifier)
 * against a Palisade in the same JVM, a 64 KiB image in three waves (5%, 25%, 100%); prints how long
 * provisioning and the roll-out took.
 */
final class RolloutBench {

    private RolloutBench() {
    }

    static void run(int devices) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-rollout");
        Path data = dir.resolve("data");
        try (RunningPalisade palisade = RunningPalisade.start(
                ControlPlaneConfig.defaults(data).withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                        GatewayLimits.defaults().with("connects-per-second-per-address", "100000")), Clock.systemUTC())) {
            URI server = URI.create("https://127.0.0.1:" + palisade.controlPlane().httpsPort());
            var ca = palisade.controlPlane().ca().chain();
            TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(data.resolve("tuf"), Clock.systemUTC(), io.palisade.pki.ca.CaDirectory.keyPassphrase(data));
            repo.init();
            KeyPair key = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
            byte[] payload = new byte[64 * 1024];
            new java.util.Random(1).nextBytes(payload);
            Path v2 = dir.resolve("v2.img");
            Files.write(v2, sign(payload, key, "2.0.0", 2));
            repo.addTarget(v2, "firmware/bench-2.0.0.img");
            repo.publish();

            ApiClient api = new ApiClient(server, ca, new DataDirectory(data).readAdminToken());
            HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.client(ca, Optional.empty())).build();
            SimulationConfig config = new SimulationConfig("localhost", palisade.mqttPort(), server.resolve("/tuf/"), http,
                    Files.readAllBytes(data.resolve("tuf/metadata/1.root.json")), List.of(key.getPublic()),
                    Pem.parsePublicKey(palisade.controlPlane().commandKeyPem(), "command key"), dir.resolve("devices"),
                    Clock.systemUTC());
            long start = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(config, new ApiProvisioner(api,
                    new EstClient(server, TlsContexts.client(ca, Optional.empty())), ca, "sensor", "default"),
                    "bench-", devices, 0.02, sign(payload, key, "1.0.0", 1), 7)) {
                double provisioning = (System.nanoTime() - start) / 1e9;
                long rolloutStart = System.nanoTime();
                JsonNode created = api.post("rollouts", ApiClient.object().put("target", "firmware/bench-2.0.0.img")
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set("waves",
                                ApiClient.object().arrayNode().add("5%").add("25%").add("100%")));
                String id = created.get("id").asText();
                double completed = 0;
                JsonNode status;
                while (true) {
                    status = api.get("rollouts/" + id, Map.of());
                    String state = status.get("state").asText();
                    if (completed == 0 && !state.equals("running")) {
                        completed = (System.nanoTime() - rolloutStart) / 1e9;
                    }
                    JsonNode counts = status.get("counts");
                    if (counts.get("installed").asInt() + counts.get("failed").asInt() == devices
                            || (System.nanoTime() - rolloutStart) / 1e9 > 300) {
                        break;
                    }
                    Thread.sleep(20);
                }
                double allFinal = (System.nanoTime() - rolloutStart) / 1e9;
                System.out.println("== Roll-out of a 64 KiB image to " + devices + " simulated devices (3 waves: 5%, 25%,"
                        + " 100%; 2% fail their self-check) ==");
                System.out.printf("%-58s %8.1f s (%.0f devices/s)%n", "provisioning (register + EST enroll + mTLS connect)",
                        provisioning, devices / provisioning);
                System.out.printf("%-58s %8.2f s (state: %s)%n", "create to roll-out finished", completed,
                        status.get("state").asText());
                System.out.printf("%-58s %8.2f s (%.0f devices/s; installed %d, failed %d)%n",
                        "create to every device's final report", allFinal, devices / allFinal,
                        status.get("counts").get("installed").asInt(), status.get("counts").get("failed").asInt());
                System.out.println("(each device: MQTT offer, TUF refresh of 4 metadata files + image over HTTPS, ECDSA"
                        + " verify, test install, trial boot, confirm, 3 reports; everything on the same 2 cores)");
                System.out.println();
            }
        }
    }

    private static byte[] sign(byte[] payload, KeyPair key, String version, long counter) throws Exception {
        return ImageSigner.sign(payload, ImageSigner.softwareKey(key.getPrivate(), key.getPublic()),
                ImageVersion.parse(version), OptionalLong.of(counter), 0x200, 0);
    }
}
