package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eclipse Paho's MQTT interoperability suites (3.1.1 and 5, vendored in test resources) run straight
 * against Mosquitto and through the gateway in front of Mosquitto, with a certificate per client id:
 * every test that passes directly must pass through Palisade.
 *
 * <p>Each run gets its own Mosquitto (same default configuration: anonymous, loopback), so that the
 * runs, which use the same client ids, can go side by side.
 */
class PahoInteropIT {

    /** Client ids the suites use (the runner renames "clean retained", a device id has no spaces). */
    private static final List<String> CLIENT_IDS = List.of("myclientid", "myclientid2", "clean-retained");
    /** The device whose certificate a connection with an empty client id presents. */
    private static final String ANONYMOUS = "paho-anonymous";

    @TempDir
    Path dir;

    @Test
    void every_suite_test_that_passes_on_mosquitto_passes_through_the_gateway() throws Exception {
        Path suite = resource("paho-interop");
        Path runner = resource("paho_runner.py");
        // Four lanes side by side (3.1.1 and 5, direct and through a gateway), each with its own broker: the
        // suites use the same client ids, and one after the other they would take about eight minutes.
        try (PrivateMosquitto direct3 = PrivateMosquitto.start(dir.resolve("direct3"));
             PrivateMosquitto direct5 = PrivateMosquitto.start(dir.resolve("direct5"));
             PrivateMosquitto behind3 = PrivateMosquitto.start(dir.resolve("behind3"));
             PrivateMosquitto behind5 = PrivateMosquitto.start(dir.resolve("behind5"));
             GatewayFixture gateway3 = suiteGateway(dir.resolve("gw3"), behind3);
             GatewayFixture gateway5 = suiteGateway(dir.resolve("gw5"), behind5)) {
            List<String> plain = List.of("--plain", "-");
            var straight3 = CompletableFuture.supplyAsync(() -> run(runner, suite, "3", direct3.port, plain));
            var straight5 = CompletableFuture.supplyAsync(() -> run(runner, suite, "5", direct5.port, plain));
            var through3 = CompletableFuture.supplyAsync(() -> run(runner, suite, "3", gateway3.port(),
                    List.of("--certs", gateway3.dir.resolve("certs").toString())));
            Map<String, Boolean> through = new TreeMap<>(run(runner, suite, "5", gateway5.port(),
                    List.of("--certs", gateway5.dir.resolve("certs").toString())));
            through.putAll(through3.get(20, TimeUnit.MINUTES));
            Map<String, Boolean> straight = new TreeMap<>(straight3.get(20, TimeUnit.MINUTES));
            straight.putAll(straight5.get(20, TimeUnit.MINUTES));

            System.out.println("Paho interoperability, Mosquitto direct: " + straight);
            System.out.println("Paho interoperability, through Palisade: " + through);
            assertThat(straight).as("both suites ran").hasSizeGreaterThan(30);
            assertThat(through.keySet()).as("the same tests ran through Palisade").isEqualTo(straight.keySet());
            List<String> regressions = straight.entrySet().stream().filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey).filter(test -> !through.getOrDefault(test, false)).toList();
            assertThat(regressions).as("tests passing on Mosquitto but not through Palisade").isEmpty();
        }
    }

    /**
     * A gateway in front of {@code broker} with the suites' clients enrolled and a policy that lets their
     * topics through; the suites reconnect the same client ids many times a second, so per-device rates are
     * raised as a test rig would raise them.
     */
    private static GatewayFixture suiteGateway(Path dir, PrivateMosquitto broker) throws Exception {
        GatewayLimits limits = GatewayLimits.defaults().withMessageRate(10_000, 10_000)
                .with("connects-per-second-per-device", "1000");
        GatewayFixture fixture = new GatewayFixture(Files.createDirectories(dir), limits,
                "mqtt://127.0.0.1:" + broker.port);
        enrollSuiteClients(fixture);
        fixture.policies.put(PolicyScope.profile("default"),
                new TopicPolicy(List.of("#"), List.of(), List.of("#"), List.of()));
        return fixture;
    }

    /** Runs one suite; returns "v3:test_name" / "v5:test_name" → passed. */
    private static Map<String, Boolean> run(Path runner, Path suite, String version, int port,
                                            List<String> transport) {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-B", runner.toString(), suite.toString(),
                version, "localhost", Integer.toString(port)));
        command.addAll(transport);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            Map<String, Boolean> results = new TreeMap<>();
            output.lines().forEach(line -> System.out.println("paho v" + version + " port " + port + ": " + line));
            output.lines().filter(line -> line.startsWith("PASS ") || line.startsWith("FAIL ")).forEach(line -> {
                String name = line.substring(5).split(" ")[0];
                results.put("v" + version + ":" + name, line.startsWith("PASS "));
            });
            return results;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Enrolls every client id of the suites; certs/ID/{cert,key}.pem, certs/_empty_/ for no id, certs/ca.pem. */
    private static Path enrollSuiteClients(GatewayFixture fixture) throws Exception {
        Path certs = fixture.dir.resolve("certs");
        for (String id : CLIENT_IDS) {
            copyCredentials(fixture.enroll(id), certs.resolve(id));
        }
        copyCredentials(fixture.enroll(ANONYMOUS), certs.resolve("_empty_"));
        Files.copy(certs.resolve("_empty_").resolve("ca.pem"), certs.resolve("ca.pem"));
        return certs;
    }

    private static void copyCredentials(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String file : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PahoInteropIT.class.getClassLoader().getResource(name).toURI());
    }
}
