package io.palisade.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto started by the benchmark on free ports: a plain loopback listener (Palisade's upstream
 * and the measuring subscriber) and a TLS listener that requires client certificates from the same
 * CA and enforces the same least-privilege ACL ({@code devices/<CN>/#}) as Palisade's default policy,
 * and a TLS listener without client certificates for the gateway's encrypted upstream link.
 */
final class MosquittoPeer implements AutoCloseable {

    final int plainPort;
    final int tlsPort;
    /** TLS without client certificates: the gateway's upstream link when it is encrypted. */
    final int upstreamTlsPort;
    private final Process process;

    MosquittoPeer(BenchPki pki, Path dir) throws Exception {
        plainPort = freePort();
        tlsPort = freePort();
        upstreamTlsPort = freePort();
        Path acl = dir.resolve("mosquitto.acl");
        Files.writeString(acl, "pattern readwrite devices/%u/#\n");
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                // Started as root, Mosquitto would drop to user "mosquitto", who cannot read our 0700 temp files.
                "user " + System.getProperty("user.name"),
                "per_listener_settings true",
                "persistence false",
                // -DmosquittoInflight=0 lifts it (Mosquitto then tells MQTT 5 clients Receive Maximum 65535): a
                // multiplexed upstream carries many devices' QoS 1 publishes on one connection.
                "max_inflight_messages " + Integer.getInteger("mosquittoInflight", 64),
                // No dropping on the way to the measuring subscriber: losses would flatter the slower path.
                "max_queued_messages 0",
                "max_queued_bytes 0",
                "listener " + plainPort + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.dir.resolve("ca.pem"),
                "certfile " + pki.dir.resolve("server.crt"),
                "keyfile " + pki.dir.resolve("server.key"),
                "require_certificate true",
                "use_identity_as_username true",
                "tls_version tlsv1.2",
                "acl_file " + acl,
                "listener " + upstreamTlsPort + " 127.0.0.1",
                "certfile " + pki.dir.resolve("server.crt"),
                "keyfile " + pki.dir.resolve("server.key"),
                "allow_anonymous true",
                ""));
        process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        waitForPort(plainPort);
        waitForPort(tlsPort);
        waitForPort(upstreamTlsPort);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    long pid() {
        return process.pid();
    }

    long residentBytes() throws IOException {
        return ProcessMemory.residentBytes(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
