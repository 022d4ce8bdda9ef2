package io.palisade.control.console;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.palisade.control.http.HttpCall;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an HTML form post ({@code application/x-www-form-urlencoded}): at most {@value #MAX_FIELDS} fields, each
 * value at most {@value #MAX_VALUE_CHARS} characters; anything else is refused with the reason.
 */
final class FormBody {

    static final int MAX_FIELDS = 16;
    static final int MAX_VALUE_CHARS = 1000;

    private FormBody() {
    }

    static Map<String, String> parse(HttpCall call) throws ApiFailure {
        String type = call.header("content-type").orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ApiFailure(415, "a form post must be application/x-www-form-urlencoded, not '" + type + "'");
        }
        QueryStringDecoder decoder;
        try {
            decoder = new QueryStringDecoder(new String(call.body(), StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                    false, MAX_FIELDS);
            decoder.parameters();
        } catch (IllegalArgumentException e) {
            throw new ApiFailure(400, "the form is malformed: " + e.getMessage());
        }
        Map<String, String> fields = new HashMap<>();
        for (var field : decoder.parameters().entrySet()) {
            String value = field.getValue().get(field.getValue().size() - 1);
            if (value.length() > MAX_VALUE_CHARS) {
                throw new ApiFailure(400, "form field '" + field.getKey() + "' is longer than " + MAX_VALUE_CHARS
                        + " characters");
            }
            fields.put(field.getKey(), value);
        }
        return fields;
    }
}
