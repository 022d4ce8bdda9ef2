package io.palisade.app.client;

import io.palisade.core.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.app.cli.CliFailure;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Calls the REST API with the admin token: over HTTPS, trusting only the instance's own CA and verifying the
 * server's host name, or over the instance's local socket on the same host. Failures become
 * {@link CliFailure}s carrying the server's one-sentence reason.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiTransport transport;
    private final byte[] token;

    private ApiClient(ApiTransport transport, SecretBytes adminToken) {
        this.transport = transport;
        this.token = adminToken.copy();
    }

    /** A client for the instance at {@code server} (HTTPS). */
    public ApiClient(URI server, List<X509Certificate> trustAnchors, SecretBytes adminToken) {
        // HttpsURLConnection checks the host name itself (its default verifier asks TLS for HTTPS endpoint
        // identification); the policy wrapper limits protocols and suites.
        this(new HttpsTransport(server.resolve("/api/v1/"), io.palisade.pki.TlsPolicy.enforce(
                TlsContexts.client(trustAnchors, Optional.empty()).getSocketFactory())), adminToken);
    }

    /** A client for the instance serving its API on the local socket {@code socket}. */
    public static ApiClient overLocalSocket(Path socket, SecretBytes adminToken) {
        return new ApiClient(new UnixSocketTransport(socket), adminToken);
    }

    public JsonNode get(String path, Map<String, String> query) {
        String queryString = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send("GET", path + queryString, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** POSTs a body that is not JSON (a capture file, say) with its media type. */
    public JsonNode postBytes(String path, String contentType, byte[] body) {
        return exchange("POST", path, contentType, body);
    }

    public static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return JSON.createObjectNode();
    }

    private JsonNode send(String method, String path, JsonNode body) {
        try {
            return exchange(method, path, "application/json", body == null ? null : JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private JsonNode exchange(String method, String path, String contentType, byte[] bytes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + new String(token, StandardCharsets.US_ASCII));
        ApiTransport.Answer answer;
        try {
            if (bytes != null) {
                headers.put("Content-Type", contentType);
            }
            answer = transport.exchange(method, path, headers, bytes);
        } catch (IOException e) {
            throw new CliFailure("cannot reach Palisade at " + transport.describe() + " (" + Errors.rootMessage(e)
                    + "); is `palisade up` running, and are --server and --data right?", CliFailure.UNAVAILABLE);
        }
        JsonNode parsed = parse(answer.body());
        if (answer.status() / 100 != 2) {
            String reason = parsed.path("error").asText(new String(answer.body(), StandardCharsets.UTF_8).strip());
            throw new CliFailure(reason.isEmpty() ? "server answered HTTP " + answer.status() : reason,
                    answer.status() == 503 ? CliFailure.UNAVAILABLE : 1);
        }
        return parsed;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
