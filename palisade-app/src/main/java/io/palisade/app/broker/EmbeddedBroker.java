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

    private final Server server;
    private final UpstreamAddress address;

    private EmbeddedBroker(Server server, UpstreamAddress address) {
        this.server = server;
        this.address = address;
    }

    public static EmbeddedBroker start(Path dataDir, int maxPacketBytes) throws IOException {
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
        Server server = new Server();
        server.startServer(new MemoryConfig(properties), List.of(), null, onlyTheGateway,
                new PermitAllAuthorizatorPolicy());
        return new EmbeddedBroker(server, new UpstreamAddress("127.0.0.1", port, false, Optional.of(GATEWAY_USER),
                Optional.of(secret), List.of()).mqtt311Only());
    }

    public UpstreamAddress address() {
        return address;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
