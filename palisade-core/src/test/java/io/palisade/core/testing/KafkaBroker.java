package io.palisade.core.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft: broker and controller in one process) for tests, run as a child process from
 * the test's own class path, so that a module using it needs {@code kafka_2.13} and {@code kafka-server} in test
 * scope. A process rather than in the test's JVM: tests kill and restart it, and Kafka's 360 MB and Scala stay out
 * of the JVM under test. The log directory survives {@link #kill()}, so a restart keeps every topic and offset.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int secondPort;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, int secondPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.secondPort = secondPort;
    }

    /** Formats a new log directory under {@code dir} and starts the broker on a free loopback port. */
    public static KafkaBroker start(Path dir) throws Exception {
        KafkaBroker broker = new KafkaBroker(Files.createDirectories(dir.resolve("kafka")), PeerPorts.free(),
                PeerPorts.free(), PeerPorts.free());
        broker.writeConfig();
        broker.format();
        broker.launch();
        return broker;
    }

    /** The address clients bootstrap from. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Palisade's --bus URL for this broker. */
    public String busUrl() {
        return "kafka://" + bootstrap();
    }

    /**
     * A second way in, on a port of its own (a second listener, which Kafka advertises as itself): a client given
     * this URL talks to the broker only through {@link #secondPort()}, so a test can cut that one client off (drop
     * the port's packets) while others keep the bus.
     */
    public String secondBusUrl() {
        return "kafka://127.0.0.1:" + secondPort;
    }

    public int secondPort() {
        return secondPort;
    }

    /** Kills the broker at once (kill -9: no clean shutdown), keeping its data. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the broker again on the same port and data, after {@link #kill()}. */
    public void restart() throws Exception {
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private void writeConfig() throws IOException {
        Files.writeString(config(), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",SECOND://127.0.0.1:" + secondPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SECOND://127.0.0.1:" + secondPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SECOND:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=1",
                "log.flush.interval.messages=1",
                "") + "\n");
    }

    private void format() throws Exception {
        Path log = dir.resolve("format.log");
        Process format = new ProcessBuilder(java("kafka.tools.StorageTool", "format",
                // "=": a random id may begin with '-', which the tool would read as an option
                "--cluster-id=" + clusterId(), "-c", config().toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting Kafka's log directory failed: " + Files.readString(log));
        }
    }

    /** A Kafka cluster id: 16 random bytes in URL-safe Base64 without padding. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private void launch() throws Exception {
        Path log = dir.resolve("kafka.log");
        process = new ProcessBuilder(java("kafka.Kafka", config().toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Kafka did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> java(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return command;
    }
}
