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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Calls the REST API with the admin token, trusting only the instance's own CA and verifying the
 * server's host name. Failures become {@link CliFailure}s carrying the server's one-sentence reason.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final byte[] token;

    public ApiClient(URI server, List<X509Certificate> trustAnchors, SecretBytes adminToken) {
        this.base = server.resolve("/api/v1/");
        this.http = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(trustAnchors, Optional.empty()))
                .sslParameters(TlsContexts.clientParameters())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.token = adminToken.copy();
    }

    public JsonNode get(String path, Map<String, String> query) {
        String queryString = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path + queryString).GET().build());
    }

    public JsonNode post(String path, JsonNode body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode put(String path, JsonNode body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE().build());
    }

    public static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + new String(token, StandardCharsets.US_ASCII));
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CliFailure("cannot reach Palisade at " + base.resolve("/") + " (" + Errors.rootMessage(e)
                    + "); is `palisade up` running, and are --server and --data right?", CliFailure.UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String reason = body.path("error").asText(new String(response.body(), StandardCharsets.UTF_8).strip());
            throw new CliFailure(reason.isEmpty() ? "server answered HTTP " + response.statusCode() : reason,
                    response.statusCode() == 503 ? CliFailure.UNAVAILABLE : 1);
        }
        return body;
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
