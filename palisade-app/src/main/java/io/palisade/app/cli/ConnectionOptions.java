package io.palisade.app.cli;

import io.palisade.app.client.ApiClient;
import io.palisade.control.DataDirectory;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.TrustAnchors;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data} and {@code --server}, shared by every command that talks to a running instance. */
public final class ConnectionOptions {

    public static final String DEFAULT_SERVER = "https://127.0.0.1:8443";
    /** The file in the data directory where {@code palisade up} records its MQTT listener. */
    static final String MQTT_URL_FILE = "mqtt.url";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:PALISADE_DATA:-palisade-data}",
            description = "Data directory holding the admin token and CA (default: $PALISADE_DATA, else palisade-data; now ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:PALISADE_SERVER}",
            description = "URL of the running instance (default: $PALISADE_SERVER, else the local socket"
                    + " api.sock of an instance running on this host with this data directory, else the URL"
                    + " `palisade up` recorded there, else " + DEFAULT_SERVER + ").")
    URI server;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:PALISADE_TOKEN_FILE}",
            description = "Bearer token to use instead of the data directory's admin token: an operator's token"
                    + " (palisade operator login|token) (default: $PALISADE_TOKEN_FILE).")
    Path tokenFile;

    public DataDirectory dataDirectory() {
        return new DataDirectory(data);
    }

    /** The server URL: explicit, else recorded by {@code palisade up}, else the default. */
    public URI serverUrl() {
        if (server != null) {
            return server;
        }
        Path recorded = dataDirectory().root().resolve("server.url");
        try {
            if (Files.exists(recorded)) {
                return URI.create(Files.readString(recorded, StandardCharsets.US_ASCII).strip());
            }
        } catch (IOException | IllegalArgumentException e) {
            // Fall back to the default; the connection error will name the URL tried.
        }
        return URI.create(DEFAULT_SERVER);
    }

    /** The token the client presents: the operator's from {@code --token-file}, else the admin token. */
    private SecretBytes token(DataDirectory dir) throws IOException {
        if (tokenFile == null) {
            return dir.readAdminToken();
        }
        try {
            String text = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
            if (text.isEmpty()) {
                throw new CliFailure("the token file " + tokenFile + " is empty");
            }
            return SecretBytes.wrap(text.getBytes(StandardCharsets.US_ASCII));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliFailure("no token file " + tokenFile);
        }
    }

    /** A client for requests that need no token (login): the admin token is not sent. */
    public ApiClient anonymousClient() {
        DataDirectory dir = dataDirectory();
        SecretBytes none = SecretBytes.wrap("-".getBytes(StandardCharsets.US_ASCII));
        if (server == null && Files.exists(dir.apiSocketFile())) {
            return ApiClient.overLocalSocket(dir.apiSocketFile(), none);
        }
        if (!Files.exists(dir.rootCaFile())) {
            throw new CliFailure("no CA certificate at " + dir.rootCaFile()
                    + "; pass the --data directory holding the instance's CA (ca/root.crt)");
        }
        try {
            return new ApiClient(serverUrl(), TrustAnchors.read(dir.rootCaFile()), none);
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    /** The MQTT port {@code palisade up} recorded in the data directory, if it did. */
    java.util.OptionalInt recordedMqttPort() {
        Path recorded = dataDirectory().root().resolve(MQTT_URL_FILE);
        try {
            if (Files.exists(recorded)) {
                int port = URI.create(Files.readString(recorded, StandardCharsets.US_ASCII).strip()).getPort();
                return port > 0 ? java.util.OptionalInt.of(port) : java.util.OptionalInt.empty();
            }
        } catch (IOException | IllegalArgumentException e) {
            // Fall back to the default port; a failed connection names the port it tried.
        }
        return java.util.OptionalInt.empty();
    }

    /**
     * A client for the instance: over its local socket when no server was named and the data directory has
     * one (a running instance on this host: no TLS handshake, a third of a command's time), else over HTTPS.
     */
    public ApiClient apiClient() {
        DataDirectory dir = dataDirectory();
        if (server == null && Files.exists(dir.apiSocketFile())) {
            try (SecretBytes token = token(dir)) {
                return ApiClient.overLocalSocket(dir.apiSocketFile(), token);
            } catch (IOException e) {
                throw new CliFailure(e.getMessage());
            }
        }
        if (!Files.exists(dir.rootCaFile())) {
            throw new CliFailure("no CA certificate at " + dir.rootCaFile()
                    + "; start Palisade once with this --data directory, or pass the right --data");
        }
        try (SecretBytes token = token(dir)) {
            return new ApiClient(serverUrl(), TrustAnchors.read(dir.rootCaFile()), token);
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        }
    }
}
