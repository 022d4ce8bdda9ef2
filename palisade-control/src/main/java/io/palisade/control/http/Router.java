package io.palisade.control.http;

import io.palisade.control.service.Refusal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Matches method and path against templates such as {@code /api/v1/devices/{id}/revoke} (a last
 * segment {@code **} takes the rest of the path, for file trees). A path
 * that matches a template with another method gets 405; no match gets 404. Refusals become replies
 * through a per-route error renderer (plain text for EST, JSON for the REST API).
 */
public final class Router {

    private record Entry(String method, String[] segments, Route route,
                         BiFunction<Integer, String, HttpReply> errors) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String template, Route route, BiFunction<Integer, String, HttpReply> errors) {
        entries.add(new Entry(method, split(template), route, errors));
        return this;
    }

    /** Every route as {@code METHOD /template}, in registration order (documentation and role tests). */
    public List<String> routes() {
        return entries.stream().map(e -> e.method() + " /" + String.join("/", e.segments())).toList();
    }

    public HttpReply dispatch(HttpCall call) {
        String[] path = split(call.path());
        boolean pathMatched = false;
        for (Entry entry : entries) {
            Optional<Map<String, String>> parameters = match(entry.segments(), path);
            if (parameters.isEmpty()) {
                continue;
            }
            pathMatched = true;
            if (entry.method().equals(call.method())) {
                try {
                    return entry.route().handle(call, parameters.get());
                } catch (Refusal refusal) {
                    return Refusals.decorate(entry.errors().apply(Refusals.status(refusal.kind()),
                            refusal.getMessage()), refusal);
                }
            }
        }
        return pathMatched ? HttpReply.text(405, "method " + call.method() + " is not allowed on " + call.path())
                : HttpReply.text(404, "no such resource: " + call.path());
    }

    /** Matches a template; a last segment {@code **} matches the rest of the path (parameter "rest"). */
    private static Optional<Map<String, String>> match(String[] template, String[] path) {
        if (template.length > 0 && template[template.length - 1].equals("**")) {
            int fixed = template.length - 1;
            if (path.length <= fixed) {
                return Optional.empty();
            }
            Optional<Map<String, String>> head = match(java.util.Arrays.copyOf(template, fixed),
                    java.util.Arrays.copyOf(path, fixed));
            head.ifPresent(p -> p.put("rest", String.join("/", java.util.Arrays.copyOfRange(path, fixed, path.length))));
            return head;
        }
        if (template.length != path.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{") && template[i].endsWith("}")) {
                parameters.put(template[i].substring(1, template[i].length() - 1), path[i]);
            } else if (!template[i].equals(path[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
