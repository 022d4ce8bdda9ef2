package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response as the routes produce it: a complete body, or (with {@code stream}) a head followed by chunks
 * sent as long as the client stays ({@link #stream}).
 */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body, ReplyStream stream) {

    public HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, null);
    }

    /** A 200 reply whose body {@code stream} sends until the client leaves. */
    public static HttpReply stream(String contentType, ReplyStream stream) {
        return new HttpReply(200, contentType, Map.of(), new byte[0], java.util.Objects.requireNonNull(stream));
    }

    public boolean streaming() {
        return stream != null;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static HttpReply text(int status, String message) {
        return new HttpReply(status, "text/plain; charset=utf-8", Map.of(),
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static HttpReply json(int status, JsonNode node) {
        try {
            return new HttpReply(status, "application/json", Map.of(), JSON.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON error body {@code {"error": message}}, the shape of every REST API error. */
    public static HttpReply jsonError(int status, String message) {
        return json(status, JSON.createObjectNode().put("error", message));
    }

    public static HttpReply bytes(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, Map.of(), body);
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpReply(status, contentType, Map.copyOf(copy), body, stream);
    }
}
