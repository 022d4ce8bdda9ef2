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
    /** Attempts of each test on each server, then of a test that failed only through Palisade. */
    private static final int FIRST_ATTEMPTS = 2;
    private static final int FURTHER_ATTEMPTS = 3;

    @TempDir
    Path dir;

    /**
     * The suites, cut into parts that run side by side, each part on its own pair of servers: the suites use
     * the same client ids, the MQTT 5 suite takes over five minutes alone (its tests mostly wait), and one
     * after the other all would take about fifteen.
     */
    private static final List<Part> PARTS = List.of(new Part("3", 0, 1), new Part("5", 0, 2), new Part("5", 1, 2));

    /** Part {@code index} of {@code count} of the tests of suite {@code version} (every count-th, by name). */
    private record Part(String version, int index, int count) {
        String prefix() {
            return "v" + version + ":";
        }
    }

    /** A part's two servers: Mosquitto straight, and a gateway in front of another Mosquitto. */
    private record Servers(PrivateMosquitto direct, PrivateMosquitto behind, GatewayFixture gateway)
            implements AutoCloseable {
        static Servers start(Path dir) throws Exception {
            PrivateMosquitto direct = PrivateMosquitto.start(dir.resolve("direct"));
            PrivateMosquitto behind = PrivateMosquitto.start(dir.resolve("behind"));
            return new Servers(direct, behind, suiteGateway(dir.resolve("gateway"), behind));
        }

        List<String> certs() {
            return List.of("--certs", gateway.dir.resolve("certs").toString());
        }

        @Override
        public void close() throws Exception {
            gateway.close();
            behind.close();
            direct.close();
        }
    }

    @Test
    void every_suite_test_that_passes_on_mosquitto_passes_through_the_gateway() throws Exception {
        Path suite = resource("paho-interop");
        Path runner = resource("paho_runner.py");
        List<Servers> servers = new java.util.ArrayList<>();
        // A thread per run: the common pool has one thread on two cores, and the runs mostly wait.
        java.util.concurrent.ExecutorService lanes = java.util.concurrent.Executors.newFixedThreadPool(2 * PARTS.size());
        try {
            for (int i = 0; i < PARTS.size(); i++) {
                servers.add(Servers.start(dir.resolve("part" + i)));
            }
            // Every test twice at most on each server; then only the tests that passed on Mosquitto and failed
            // through Palisade get three more attempts there (five in all): retrying the tests that fail on
            // Mosquitto as well would cost minutes and decide nothing.
            List<CompletableFuture<Map<String, Boolean>>> straightRuns = new java.util.ArrayList<>();
            List<CompletableFuture<Map<String, Boolean>>> throughRuns = new java.util.ArrayList<>();
            for (int i = 0; i < PARTS.size(); i++) {
                Part part = PARTS.get(i);
                Servers pair = servers.get(i);
                straightRuns.add(CompletableFuture.supplyAsync(() -> run(runner, suite, part, pair.direct().port,
                        List.of("--plain", "-"), FIRST_ATTEMPTS, List.of()), lanes));
                throughRuns.add(CompletableFuture.supplyAsync(() -> run(runner, suite, part, pair.gateway().port(),
                        pair.certs(), FIRST_ATTEMPTS, List.of()), lanes));
            }
            Map<String, Boolean> straight = joined(straightRuns);
            Map<String, Boolean> through = joined(throughRuns);
            List<CompletableFuture<Map<String, Boolean>>> retries = new java.util.ArrayList<>();
            for (int i = 0; i < PARTS.size(); i++) {
                Part part = PARTS.get(i);
                Servers pair = servers.get(i);
                List<String> again = failedThrough(straight, through, part);
                if (!again.isEmpty()) {
                    retries.add(CompletableFuture.supplyAsync(() -> run(runner, suite, part, pair.gateway().port(),
                            pair.certs(), FURTHER_ATTEMPTS, again), lanes));
                }
            }
            through.putAll(joined(retries));

            System.out.println("Paho interoperability, Mosquitto direct: " + straight);
            System.out.println("Paho interoperability, through Palisade: " + through);
            assertThat(straight).as("both suites ran").hasSizeGreaterThan(30);
            assertThat(through.keySet()).as("the same tests ran through Palisade").isEqualTo(straight.keySet());
            List<String> regressions = straight.entrySet().stream().filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey).filter(test -> !through.getOrDefault(test, false)).toList();
            assertThat(regressions).as("tests passing on Mosquitto but not through Palisade").isEmpty();
        } finally {
            lanes.shutdownNow();
            for (Servers pair : servers) {
                pair.close();
            }
        }
    }

    private static Map<String, Boolean> joined(List<CompletableFuture<Map<String, Boolean>>> runs) throws Exception {
        Map<String, Boolean> all = new TreeMap<>();
        for (CompletableFuture<Map<String, Boolean>> run : runs) {
            all.putAll(run.get(20, TimeUnit.MINUTES));
        }
        return all;
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

    /** The tests of {@code part} that passed on Mosquitto and failed through Palisade, by their names. */
    private static List<String> failedThrough(Map<String, Boolean> straight, Map<String, Boolean> through, Part part) {
        return straight.entrySet().stream().filter(e -> e.getKey().startsWith(part.prefix()) && e.getValue())
                .map(Map.Entry::getKey).filter(test -> !through.getOrDefault(test, false))
                .map(test -> test.substring(part.prefix().length())).toList();
    }

    /**
     * Runs {@code part} of a suite, or only {@code tests} of it when there are some, each failing test up to
     * {@code attempts} times; returns "v3:test_name" / "v5:test_name" → passed.
     */
    private static Map<String, Boolean> run(Path runner, Path suite, Part part, int port, List<String> transport,
                                            int attempts, List<String> tests) {
        String version = part.version();
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-B", runner.toString(), suite.toString(),
                version, "localhost", Integer.toString(port)));
        command.addAll(transport);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("PAHO_ATTEMPTS", Integer.toString(attempts));
            builder.environment().put("PAHO_TESTS", String.join(",", tests));
            builder.environment().put("PAHO_PART", part.index() + "/" + part.count());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            Map<String, Boolean> results = new TreeMap<>();
            output.lines().forEach(line -> System.out.println("paho v" + version + " part " + part.index() + " port "
                    + port + ": " + line));
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
