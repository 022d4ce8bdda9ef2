package io.palisade.app;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import io.palisade.gateway.GatewayLimits;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import io.palisade.sim.SimulatedFleet;
import io.palisade.sim.SimulationConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A running Palisade (embedded broker, ports chosen at bind time) with an update repository and a
 * simulated fleet provisioned as real devices are: registered, enrolled over EST, pinned to the
 * repository's root, the firmware key and the command key fetched from the instance.
 */
final class FleetFixture implements AutoCloseable {

    final Path dir;
    final RunningPalisade palisade;
    final String server;
    final KeyPair firmwareKey = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
    final SimulatedFleet fleet;

    FleetFixture(Path dir, int devices, double failing) throws Exception {
        this.dir = dir;
        Path data = dir.resolve("data");
        palisade = RunningPalisade.start(ControlPlaneConfig.defaults(data).withPort(0).withBindAddress("127.0.0.1"),
                new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                        GatewayLimits.defaults().with("connects-per-second-per-address", "10000")), Clock.systemUTC());
        SimulatedFleet started = null;
        try {
            server = "https://127.0.0.1:" + palisade.controlPlane().httpsPort();
            TufRepositoryWriter.withKeysInside(data.resolve("tuf"), Clock.systemUTC(), io.palisade.pki.ca.CaDirectory.keyPassphrase(data)).init();
            var ca = palisade.controlPlane().ca().chain();
            HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.client(ca, Optional.empty())).build();
            String commandKey = http.send(HttpRequest.newBuilder(URI.create(server + "/pki/command-key.pem")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            EstClient est = new EstClient(URI.create(server), TlsContexts.client(ca, Optional.empty()));
            SimulationConfig config = new SimulationConfig("localhost", palisade.mqttPort(), URI.create(server + "/tuf/"),
                    http, Files.readAllBytes(data.resolve("tuf/metadata/1.root.json")), List.of(firmwareKey.getPublic()),
                    Pem.parsePublicKey(commandKey, "command key"), dir.resolve("devices"), Clock.systemUTC());
            SimulatedFleet.Provisioner provisioner = id -> {
                var registration = palisade.controlPlane().devices().add(id.value(), "sensor", "plant-a",
                        Duration.ofHours(1));
                KeyPair keys = KeyPairs.newP256();
                try (var token = registration.token()) {
                    return new DeviceCredentials(keys.getPrivate(), est.enroll(id, token, keys), ca);
                }
            };
            started = SimulatedFleet.start(config, provisioner, "sim-", devices, failing, image("1.0.0", 1, firmwareKey),
                    42);
        } catch (Exception | Error e) {
            palisade.close();
            throw e;
        }
        fleet = started;
    }

    byte[] image(String version, long counter, KeyPair key) throws Exception {
        return ImageSigner.sign(("sensor firmware " + version).repeat(200).getBytes(),
                ImageSigner.softwareKey(key.getPrivate(), key.getPublic()), ImageVersion.parse(version),
                OptionalLong.of(counter), 0x200, 0);
    }

    void publish(String name, byte[] image) throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.withKeysInside(dir.resolve("data/tuf"), Clock.systemUTC(), io.palisade.pki.ca.CaDirectory.keyPassphrase(dir.resolve("data")));
        Path file = dir.resolve("upload.img");
        Files.write(file, image);
        repo.addTarget(file, name);
        repo.publish();
    }

    /** Runs {@code palisade GROUP ARGS... --data DIR --server URL --json} in-process. */
    Cli.Result cli(String group, String... args) {
        String[] all = new String[args.length + 6];
        all[0] = group;
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = dir.resolve("data").toString();
        all[args.length + 3] = "--server";
        all[args.length + 4] = server;
        all[args.length + 5] = "--json";
        return Cli.run(all);
    }

    @Override
    public void close() {
        try {
            fleet.close();
        } finally {
            palisade.close();
        }
    }
}
