package io.palisade.control.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Router;
import io.palisade.control.operator.OperatorService;
import java.util.Arrays;
import java.util.Map;

/**
 * Signing in and out, and changing one's own password ({@code /account}, through
 * {@code POST /api/v1/account/password}). The login form posts to {@code /login}, which opens a session through {@code POST /api/v1/session}
 * (the same failure limits per address and account, the same lock-out, the same "login failed" for every failure)
 * and passes its cookie on; the password's bytes are wiped once the API has them. {@code /logout} ends the session.
 */
final class LoginPages {

    private final OperatorService operators;
    private final InternalApi api;
    private final Pages pages;

    LoginPages(OperatorService operators, InternalApi api, Pages pages) {
        this.operators = operators;
        this.api = api;
        this.pages = pages;
    }

    void register(Router router, ConsoleRoutes console) {
        router.add("GET", "/login", (call, p) -> console.viewer(call).isPresent() ? Pages.redirect("/")
                : loginForm(200, call.queryParameter("next").orElse("/"), ""), (status, message) ->
                HttpReply.text(status, message));
        router.add("POST", "/login", (call, p) -> {
            if (!ConsoleRoutes.sameOrigin(call)) {
                return console.error(403, Page.anonymous("Refused"), "this form was not posted from the console's own pages");
            }
            Map<String, String> form;
            try {
                form = FormBody.parse(call);
            } catch (ApiFailure failure) {
                return loginForm(failure.status(), "/", failure.getMessage());
            } finally {
                Arrays.fill(call.body(), (byte) 0);
            }
            ObjectNode credentials = ConsoleRoutes.JSON.createObjectNode()
                    .put("name", form.getOrDefault("name", "")).put("password", form.getOrDefault("password", ""));
            if (!form.getOrDefault("totp", "").isBlank()) {
                credentials.put("totp", form.get("totp").strip());
            }
            byte[] body;
            try {
                body = ConsoleRoutes.JSON.writeValueAsBytes(credentials);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            HttpReply session;
            try {
                session = api.call(call, "POST", "/api/v1/session", Map.of(),
                        Map.of("content-type", "application/json"), body);
            } finally {
                Arrays.fill(body, (byte) 0);
            }
            String next = safeNext(form.getOrDefault("next", "/"));
            if (session.status() != 200) {
                String why = session.status() == 429 ? "Too many failed logins from this address; try again later."
                        : "Login failed.";
                return loginForm(session.status() == 429 ? 429 : 401, next, why);
            }
            return Pages.redirect(next).withHeader("Set-Cookie", session.headers().get("Set-Cookie"));
        }, (status, message) -> HttpReply.text(status, message));
        router.add("GET", "/account", console.page(this::account), (status, message) -> HttpReply.text(status, message));
        router.add("POST", "/account", console.form(this::changePassword),
                (status, message) -> HttpReply.text(status, message));
        router.add("POST", "/logout", console.form((call, p, viewer) -> {
            HttpReply ended = api.call(call, "DELETE", "/api/v1/session", Map.of(), Map.of(), new byte[0]);
            HttpReply reply = Pages.redirect("/login");
            String cookie = ended.headers().get("Set-Cookie");
            return cookie == null ? reply : reply.withHeader("Set-Cookie", cookie);
        }), (status, message) -> HttpReply.text(status, message));
    }

    private HttpReply account(io.palisade.control.http.HttpCall call, Map<String, String> p, Viewer viewer) {
        Page page = viewer.page("Your account", "account");
        if (call.queryParameter("done").isPresent()) {
            page = page.withNotice("Your password was changed; your other browser sessions were signed out.");
        }
        return pages.render(200, "account.jte", Map.of("page", page));
    }

    private HttpReply changePassword(io.palisade.control.http.HttpCall call, Map<String, String> p, Viewer viewer)
            throws ApiFailure {
        Map<String, String> form;
        try {
            form = FormBody.parse(call);
        } finally {
            Arrays.fill(call.body(), (byte) 0);
        }
        String replacement = form.getOrDefault("new", "");
        if (!replacement.equals(form.getOrDefault("confirm", ""))) {
            return pages.render(400, "account.jte", Map.of("page", viewer.page("Your account", "account")
                    .withError("The new password and its confirmation differ.")));
        }
        try {
            api.send(call, "POST", "/api/v1/account/password", ConsoleRoutes.JSON.createObjectNode()
                    .put("current", form.getOrDefault("current", "")).put("new", replacement), form.getOrDefault("csrf", ""));
        } catch (ApiFailure refused) {
            if (refused.status() == 401) {
                throw refused;
            }
            return pages.render(refused.status(), "account.jte", Map.of("page", viewer.page("Your account", "account")
                    .withError(refused.getMessage())));
        }
        return Pages.redirect("/account?done=password");
    }

    private HttpReply loginForm(int status, String next, String error) {
        return pages.render(status, "login.jte", Map.of("page", Page.anonymous("Sign in").withError(error),
                "next", safeNext(next)));
    }

    /** Only a path on this site: never another origin ({@code //host}, {@code https://...}), never a header break. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return "/";
        }
        return next;
    }
}
