package io.palisade.control.http;

import java.time.Duration;
import java.util.Optional;

/** Reads and writes the browser session cookie. */
public final class SessionCookies {

    private SessionCookies() {
    }

    /** The value of cookie {@code name} in the request's Cookie header. */
    public static Optional<String> value(HttpCall call, String name) {
        return call.header("cookie").flatMap(header -> {
            for (String part : header.split(";")) {
                String cookie = part.strip();
                if (cookie.startsWith(name + "=")) {
                    return Optional.of(cookie.substring(name.length() + 1));
                }
            }
            return Optional.empty();
        });
    }

    /** A Set-Cookie value: Secure (HTTPS only), HttpOnly (no script reads it), SameSite=Strict (no cross-site sends). */
    public static String set(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; Secure; HttpOnly; SameSite=Strict";
    }
}
