package io.palisade.gateway;

import io.palisade.core.testing.PeerPorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A Mosquitto of a test's own on a free loopback port, with the default configuration (anonymous), its log in
 * {@code DIR/mosquitto.log}, where the client ids that connected can be read.
 */
final class PrivateMosquitto implements AutoCloseable {

    final int port;
    private final Path log;
    private final Process process;

    private PrivateMosquitto(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static PrivateMosquitto start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** With {@code extraConfig} appended to the configuration (an ACL, say). */
    static PrivateMosquitto start(Path dir, String extraConfig) throws Exception {
        Files.createDirectories(dir);
        // Started as root, Mosquitto would drop to its own user, which cannot read the test's files.
        int port = PeerPorts.free();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "user " + System.getProperty("user.name") + "\nlistener " + port
                + " 127.0.0.1\nallow_anonymous true\n" + extraConfig);
        Path log = dir.resolve("mosquitto.log");
        Process process = new ProcessBuilder("mosquitto", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 200; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new PrivateMosquitto(port, log, process);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not start on port " + port + "; see " + dir);
    }

    String url() {
        return "mqtt://127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** The client ids matching {@code clientId} (group 1) that the log says connected, first seen first. */
    List<String> clientIds(Pattern clientId) throws IOException {
        Matcher matcher = clientId.matcher(log());
        List<String> ids = new ArrayList<>();
        while (matcher.find()) {
            if (!ids.contains(matcher.group(1))) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** A plain MQTT 3.1.1 client on the broker itself that records "TOPIC PAYLOAD" of what its filter matches. */
    final class Watcher implements AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final MqttClient client;

        Watcher(String filter) throws Exception {
            client = new MqttClient("tcp://127.0.0.1:" + port, "watch-" + System.nanoTime(), new MemoryPersistence());
            client.connect();
            client.subscribe(filter, 1, (topic, message) -> received.add(topic + " " + new String(message.getPayload())));
        }

        void publish(String topic, String payload, int qos, boolean retained) throws Exception {
            client.publish(topic, payload.getBytes(), qos, retained);
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
