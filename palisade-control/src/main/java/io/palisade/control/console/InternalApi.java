package io.palisade.control.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.http.AdminAuthenticator;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Router;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls the REST API in process on behalf of a browser request: the same router, the browser's own cookie (and, for
 * changes, the CSRF token its form carried), the browser's address. Authentication, the role matrix and the
 * {@code admin.action} record all happen where they happen for the CLI.
 */
final class InternalApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Router router;

    InternalApi(Router router) {
        this.router = router;
    }

    JsonNode get(HttpCall browser, String path, Map<String, String> query) throws ApiFailure {
        return answer(call(browser, "GET", path, query, Map.of(), new byte[0]));
    }

    JsonNode get(HttpCall browser, String path) throws ApiFailure {
        return get(browser, path, Map.of());
    }

    /** A change: {@code body} as JSON, {@code csrf} as the header a cookie-made change must carry. */
    JsonNode send(HttpCall browser, String method, String path, JsonNode body, String csrf) throws ApiFailure {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return answer(call(browser, method, path, Map.of(), Map.of("content-type", "application/json",
                AdminAuthenticator.CSRF_HEADER, csrf), bytes));
    }

    /** The raw reply, for calls whose headers matter (the session's Set-Cookie). */
    HttpReply call(HttpCall browser, String method, String path, Map<String, String> query,
                   Map<String, String> extraHeaders, byte[] body) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        browser.header("cookie").ifPresent(cookie -> headers.put("cookie", cookie));
        browser.header("user-agent").ifPresent(agent -> headers.put("user-agent", agent));
        return router.dispatch(new HttpCall(method, path, query, headers, body, browser.remoteAddress(), List.of()));
    }

    static JsonNode answer(HttpReply reply) throws ApiFailure {
        JsonNode node;
        try {
            node = JSON.readTree(reply.body());
        } catch (IOException e) {
            node = null;
        }
        if (reply.status() >= 400) {
            String message = node != null && node.hasNonNull("error") ? node.get("error").asText()
                    : new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
            throw new ApiFailure(reply.status(), message);
        }
        if (node == null) {
            throw new ApiFailure(502, "the API answered something other than JSON");
        }
        return node;
    }
}
