package io.palisade.app.cli;

import io.palisade.app.sim.ApiProvisioner;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.sim.SimulatedDevice;
import io.palisade.sim.SimulatedFleet;
import io.palisade.sim.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code palisade sim ...}: simulated devices against a running instance, for demos and tests. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Simulated devices that run the real agent, update client and boot verifier.")
public final class SimCommand extends CommandGroup {

    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = "Register, enroll and connect N simulated devices to the running instance, each booted from"
                    + " --factory-image, and keep them online (taking roll-outs, wipes and reflashes) until Ctrl-C."
                    + " Prints the versions the fleet runs every few seconds.")
    static final class Fleet implements Runnable {
        @Mixin
        DeviceSideOptions deviceSide;

        @Option(names = "--devices", paramLabel = "N", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
        int devices;

        @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "sim-",
                description = "Device ids are PREFIX0, PREFIX1, ... (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--failing", paramLabel = "PERCENT", defaultValue = "0",
                description = "Share of devices whose new firmware fails its self-check and reverts (default: ${DEFAULT-VALUE}).")
        double failingPercent;

        @Option(names = "--profile", defaultValue = "sensor", description = "Profile of new devices (default: ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--segment", defaultValue = "default", description = "Segment of new devices (default: ${DEFAULT-VALUE}).")
        String segment;

        @Option(names = "--firmware-key", paramLabel = "FILE", required = true,
                description = "Public key (PEM) the devices' boot verifier pins, e.g. fw.pub.pem from `palisade firmware keygen`.")
        Path firmwareKey;

        @Option(names = "--factory-image", paramLabel = "FILE", required = true,
                description = "Signed image the devices run at the start.")
        Path factoryImage;

        @Option(names = "--tuf-root", paramLabel = "FILE",
                description = "Repository root metadata the devices trust (default: tuf/metadata/1.root.json in --data).")
        Path tufRoot;

        @Option(names = "--mqtt-port", paramLabel = "PORT",
                description = "The gateway's MQTT port on the --server host (default: the port `palisade up` recorded"
                        + " in --data, else 8883).")
        Integer mqttPortOption;

        @Option(names = "--work", paramLabel = "DIR", defaultValue = "palisade-sim",
                description = "Where the simulated devices keep their data stores (default: ${DEFAULT-VALUE}).")
        Path work;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** With --json: one object per line (provisioning, online, then each change of the fleet's versions). */
        @CommandLine.Mixin
        JsonOption output;

        @Override
        public void run() {
            if (devices < 1 || devices > 10_000) {
                throw new CliFailure("--devices must be between 1 and 10000");
            }
            if (failingPercent < 0 || failingPercent > 100) {
                throw new CliFailure("--failing must be a percentage between 0 and 100");
            }
            PrintWriter out = spec.commandLine().getOut();
            int mqttPort = mqttPortOption != null ? mqttPortOption
                    : deviceSide.connection.recordedMqttPort().orElse(8883);
            var ca = deviceSide.trustAnchors();
            URI server = deviceSide.connection.serverUrl();
            Path root = tufRoot != null ? tufRoot
                    : deviceSide.connection.dataDirectory().tufRepository().resolve("metadata").resolve("1.root.json");
            SimulationConfig config;
            byte[] image;
            try {
                config = new SimulationConfig(server.getHost(), mqttPort, server.resolve("/tuf/"),
                        HttpClient.newBuilder().sslContext(TlsContexts.client(ca, Optional.empty())).build(),
                        Files.readAllBytes(root), List.of(FirmwareKeys.readPublic(firmwareKey)),
                        Pem.parsePublicKey(deviceSide.commandKeyPem(), "the server's command key"), work,
                        Clock.systemUTC());
                image = Files.readAllBytes(factoryImage);
            } catch (IOException e) {
                throw new CliFailure("cannot prepare the simulation: " + e.getMessage());
            }
            ApiProvisioner provisioner = new ApiProvisioner(deviceSide.connection.apiClient(), deviceSide.client(Optional.empty()),
                    ca, profile, segment);
            output.line(out, "provisioning " + devices + " simulated devices (" + prefix + "0 ...) against " + server,
                    JsonOption.object().put("provisioning", devices).put("server", server.toString()));
            try (SimulatedFleet fleet = SimulatedFleet.start(config, provisioner, prefix, devices, failingPercent / 100,
                    image, 42)) {
                output.line(out, devices + " devices online through the gateway on " + server.getHost() + ":" + mqttPort
                        + "; Ctrl-C stops them", JsonOption.object().put("online", devices)
                        .put("gateway", server.getHost() + ":" + mqttPort));
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                String last = "";
                while (!stopped.await(3, java.util.concurrent.TimeUnit.SECONDS)) {
                    String now = summary(fleet.devices());
                    if (!now.equals(last)) {
                        output.line(out, java.time.LocalTime.now().withNano(0) + "  " + now, versions(fleet.devices()));
                        last = now;
                    }
                }
            } catch (CliFailure e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new CliFailure("the simulation failed (gateway " + server.getHost() + ":" + mqttPort + ", server "
                        + server + "): " + io.palisade.core.Errors.rootMessage(e));
            }
        }

        private static com.fasterxml.jackson.databind.node.ObjectNode versions(List<SimulatedDevice> devices) {
            var node = JsonOption.object().put("time", java.time.Instant.now().toString());
            runningVersions(devices).forEach(node.putObject("running")::put);
            return node.put("wiped", devices.stream().filter(SimulatedDevice::wiped).count());
        }

        /** How many devices (not wiped) run each version. */
        private static Map<String, Long> runningVersions(List<SimulatedDevice> devices) {
            return devices.stream().filter(d -> !d.wiped())
                    .collect(Collectors.groupingBy(d -> d.runningVersion().toString(), TreeMap::new, Collectors.counting()));
        }

        private static String summary(List<SimulatedDevice> devices) {
            Map<String, Long> versions = runningVersions(devices);
            long wiped = devices.stream().filter(SimulatedDevice::wiped).count();
            return "running: " + versions.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                    .collect(Collectors.joining(", ")) + (wiped > 0 ? "; wiped: " + wiped : "");
        }
    }
}
