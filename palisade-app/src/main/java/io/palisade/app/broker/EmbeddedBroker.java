package io.palisade.app.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import io.palisade.gateway.UpstreamAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Moquette 0.17 in the same process, used when {@code palisade up} has no {@code --upstream}.
 *
 * <p>It listens on 127.0.0.1 on a free port and accepts only the gateway, which authenticates with
 * a random secret generated per start: a local process cannot reach devices' topics without going
 * through the gateway's identity, policy and quota checks. Retained messages and persistent sessions
 * are kept under {@code DATA/broker}. Moquette 0.17 speaks MQTT 3.1.1 only: the gateway carries MQTT 5
 * devices over it and refuses, with MQTT 5 reason codes, what 3.1.1 cannot carry (see the gateway's
 * {@code Mqtt5Over311}); an upstream broker that speaks 5 (Mosquitto, with {@code --upstream}) carries all.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final String GATEWAY_USER = "palisade-gateway";
    /** Moquette narrates its start at INFO; held in a field because JUL keeps logger levels weakly. */
    private static final java.util.logging.Logger MOQUETTE_LOG = java.util.logging.Logger.getLogger("io.moquette");

    static {
        MOQUETTE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Server server = new Server();
    private final Properties properties;
    private final IAuthenticator onlyTheGateway;
    private final UpstreamAddress address;
    /** Completes when Moquette listens (or failed to); see {@link #startInBackground()}. */
    private final java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();

    private EmbeddedBroker(Properties properties, IAuthenticator onlyTheGateway, UpstreamAddress address) {
        this.properties = properties;
        this.onlyTheGateway = onlyTheGateway;
        this.address = address;
    }

    /** Starts the broker and returns once it listens. */
    public static EmbeddedBroker start(Path dataDir, int maxPacketBytes) throws IOException {
        EmbeddedBroker broker = prepare(dataDir, maxPacketBytes);
        broker.startInBackground();
        broker.awaitStarted();
        return broker;
    }

    /**
     * Chooses the port and the gateway's secret, without starting anything: {@link #address()} is known at
     * once, so the control plane can start (and its broker link keep trying) while Moquette starts on the
     * other core. Call {@link #startInBackground()}, then {@link #awaitStarted()} before devices connect.
     */
    public static EmbeddedBroker prepare(Path dataDir, int maxPacketBytes) throws IOException {
        Path storage = dataDir.resolve("broker");
        Files.createDirectories(storage);
        int port = freeLoopbackPort();
        Properties properties = new Properties();
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "false");
        properties.setProperty("persistence_enabled", "true");
        properties.setProperty("data_path", storage.toString());
        properties.setProperty("telemetry_enabled", "false");
        properties.setProperty("netty.mqtt.message_size", Integer.toString(maxPacketBytes));
        String secret;
        try (SecretBytes token = new OneTimeTokens().newToken("", 32)) {
            secret = new String(token.copy(), StandardCharsets.US_ASCII);
        }
        byte[] expected = secret.getBytes(StandardCharsets.US_ASCII);
        IAuthenticator onlyTheGateway = (clientId, username, password) ->
                GATEWAY_USER.equals(username) && password != null && MessageDigest.isEqual(expected, password);
        return new EmbeddedBroker(properties, onlyTheGateway, new UpstreamAddress("127.0.0.1", port, false,
                Optional.of(GATEWAY_USER), Optional.of(secret), List.of()).mqtt311Only());
    }

    /** Starts Moquette on a thread of its own. */
    public void startInBackground() {
        Thread thread = new Thread(() -> {
            try {
                server.startServer(new MemoryConfig(properties), List.of(), null, onlyTheGateway,
                        new PermitAllAuthorizatorPolicy());
                started.complete(null);
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "palisade-broker-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the broker listens; its failure to start is thrown here. */
    public void awaitStarted() throws IOException {
        try {
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the embedded broker started", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("the embedded broker did not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public UpstreamAddress address() {
        return address;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the broker, first waiting for a start still under way so that nothing is left listening. */
    @Override
    public void close() {
        try {
            started.join();
        } catch (java.util.concurrent.CompletionException e) {
            return; // it never started
        }
        server.stopServer();
    }
}
