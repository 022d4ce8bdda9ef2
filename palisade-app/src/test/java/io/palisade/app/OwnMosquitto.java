package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Mosquitto of the test's own on a free port, anonymous on the loopback: the broker behind Palisade. */
record OwnMosquitto(Process process, int port) implements AutoCloseable {

    static OwnMosquitto start(Path dir) throws Exception {
        int port = PalisadeProcess.freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        Process process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return new OwnMosquitto(process, port);
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IllegalStateException("mosquitto did not start: "
                            + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    void publish(String topic, String message) throws Exception {
        Processes.Result sent = Processes.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", topic, "-m", message));
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    /** {@code mosquitto_sub} for {@code count} messages (topic and payload per line), at most 20 s. */
    Process subscribe(String filter, int count) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t",
                filter, "-C", Integer.toString(count), "-W", "20", "-v").redirectErrorStream(true).start();
        Thread.sleep(300); // subscribed before anything is sent
        return sub;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
