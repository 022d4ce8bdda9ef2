package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.operator.OperatorService;
import io.palisade.control.operator.Principal;
import io.palisade.control.service.FailureLimiter;
import io.palisade.control.service.Refusal;
import io.palisade.core.operator.Operator;
import io.palisade.core.operator.OperatorToken;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Operators in the REST API. {@code POST /api/v1/login} {@code {"name", "password", "totp"}} takes no token and
 * answers with a token ({@code pot_...}, 12 h); {@code POST /api/v1/session} (the same body) opens a browser session
 * instead (an HttpOnly cookie and the CSRF token changes must carry), {@code DELETE /api/v1/session} ends it; failures
 * are limited per address and per account. {@code POST /api/v1/account/password} {@code {"current", "new"}}: any
 * operator changes their own password (their other browser sessions end). The
 * rest needs the administer permission: {@code GET/POST /operators} ({@code {"name", "role", "password"}}; a
 * password is made and answered once when none is given), {@code DELETE /operators/{name}},
 * {@code POST /operators/{name}/password} {@code {"password"}}, {@code POST/DELETE /operators/{name}/totp}
 * (answers the {@code otpauth://} URI), {@code GET/POST /operators/{name}/tokens} ({@code {"label",
 * "ttl_seconds"}}), {@code DELETE /operators/{name}/tokens/{id}}.
 */
public final class OperatorRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OperatorService operators;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;
    private final FailureLimiter limiter;

    public OperatorRoutes(OperatorService operators, AdminAuthenticator authenticator, JsonBodies bodies,
                          FailureLimiter limiter) {
        this.operators = operators;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.limiter = limiter;
    }

    public void register(Router router) {
        String base = AdminApiRoutes.PREFIX + "operators";
        router.add("POST", AdminApiRoutes.PREFIX + "login", login((name, password, totp, source) -> {
            OperatorService.IssuedToken session = operators.login(name, password, totp, source);
            return HttpReply.json(200, token(session.token()).put("token", session.secret()));
        }), HttpReply::jsonError);
        router.add("POST", AdminApiRoutes.PREFIX + "session", login((name, password, totp, source) -> {
            OperatorService.Session session = operators.openSession(name, password, totp, source);
            return HttpReply.json(200, token(session.token().token()).put("csrf_token", session.csrf()))
                    .withHeader("Set-Cookie", SessionCookies.set(AdminAuthenticator.SESSION_COOKIE,
                            session.token().secret(), OperatorService.LOGIN_SESSION));
        }), HttpReply::jsonError);
        router.add("DELETE", AdminApiRoutes.PREFIX + "session", (call, p) -> {
            SessionCookies.value(call, AdminAuthenticator.SESSION_COOKIE)
                    .flatMap(cookie -> operators.authenticateSession(cookie.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .ifPresent(session -> operators.closeSession(session.tokenId()));
            return HttpReply.json(200, JSON.createObjectNode().put("logged_out", true)).withHeader("Set-Cookie",
                    SessionCookies.set(AdminAuthenticator.SESSION_COOKIE, "", Duration.ZERO));
        }, HttpReply::jsonError);
        router.add("POST", AdminApiRoutes.PREFIX + "account/password", authenticator.guard((call, p) -> {
            Principal who = authenticator.authenticate(call);
            if (who == Principal.BOOTSTRAP) {
                throw new Refusal(Refusal.Kind.CONFLICT, "the admin token is not an operator; an admin sets operators'"
                        + " passwords with POST /api/v1/operators/{name}/password");
            }
            Optional<String> session = SessionCookies.value(call, AdminAuthenticator.SESSION_COOKIE)
                    .flatMap(cookie -> operators.authenticateSession(cookie.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .map(OperatorService.SessionPrincipal::tokenId);
            JsonNode body = bodies.object(call);
            char[] current = body.path("current").asText("").toCharArray();
            char[] replacement = body.path("new").asText("").toCharArray();
            try {
                operators.changeOwnPassword(who.name(), current, replacement, call.remoteAddress(), session);
            } finally {
                Arrays.fill(current, '\0');
                Arrays.fill(replacement, '\0');
            }
            return HttpReply.json(200, JSON.createObjectNode().put("name", who.name()).put("password_changed", true));
        }), HttpReply::jsonError);
        router.add("GET", base, authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            operators.list().forEach(operator -> list.add(operator(operator)));
            return HttpReply.json(200, JSON.createObjectNode().set("operators", list));
        }), HttpReply::jsonError);
        router.add("POST", base, authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            OperatorService.Added added = operators.add(body.path("name").asText(""), body.path("role").asText(""),
                    text(body, "password").map(String::toCharArray));
            ObjectNode reply = operator(added.operator());
            added.generatedPassword().ifPresent(password -> reply.put("password", password));
            return HttpReply.json(201, reply);
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/{name}", authenticator.guard((call, p) -> {
            operators.remove(p.get("name"));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("removed", true));
        }), HttpReply::jsonError);
        router.add("POST", base + "/{name}/password", authenticator.guard((call, p) -> {
            char[] password = bodies.object(call).path("password").asText("").toCharArray();
            try {
                operators.setPassword(p.get("name"), password);
            } finally {
                Arrays.fill(password, '\0');
            }
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("password_set", true));
        }), HttpReply::jsonError);
        router.add("POST", base + "/{name}/totp", authenticator.guard((call, p) -> HttpReply.json(200,
                JSON.createObjectNode().put("name", p.get("name")).put("uri", operators.enableTotp(p.get("name"))))),
                HttpReply::jsonError);
        router.add("DELETE", base + "/{name}/totp", authenticator.guard((call, p) -> {
            operators.disableTotp(p.get("name"));
            return HttpReply.json(200, JSON.createObjectNode().put("name", p.get("name")).put("totp", false));
        }), HttpReply::jsonError);
        router.add("GET", base + "/{name}/tokens", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            operators.tokens(p.get("name")).forEach(token -> list.add(token(token)));
            return HttpReply.json(200, JSON.createObjectNode().set("tokens", list));
        }), HttpReply::jsonError);
        router.add("POST", base + "/{name}/tokens", authenticator.guard((call, p) -> {
            JsonNode body = bodies.object(call);
            long seconds = body.path("ttl_seconds").asLong(Duration.ofDays(90).toSeconds());
            OperatorService.IssuedToken issued = operators.issueToken(p.get("name"), body.path("label").asText("api"),
                    Duration.ofSeconds(seconds));
            return HttpReply.json(201, token(issued.token()).put("token", issued.secret()));
        }), HttpReply::jsonError);
        router.add("DELETE", base + "/{name}/tokens/{id}", authenticator.guard((call, p) -> {
            operators.revokeToken(p.get("id"));
            return HttpReply.json(200, JSON.createObjectNode().put("id", p.get("id")).put("revoked", true));
        }), HttpReply::jsonError);
    }

    /** What a login route does with the credentials once they are read. */
    @FunctionalInterface
    private interface Login {
        HttpReply answer(String name, char[] password, Optional<String> totp, String source) throws Refusal;
    }

    /**
     * A route taking {@code {"name", "password", "totp"}} without a token: the address's failure limit first, a
     * refusal counted against the address, the password wiped whatever happens.
     */
    private Route login(Login login) {
        return (call, p) -> {
            limiter.checkAllowed(call.remoteAddress());
            JsonNode body = bodies.object(call);
            char[] password = body.path("password").asText("").toCharArray();
            try {
                return login.answer(body.path("name").asText(""), password, text(body, "totp"), call.remoteAddress());
            } catch (Refusal refusal) {
                limiter.recordFailure(call.remoteAddress());
                throw refusal;
            } finally {
                Arrays.fill(password, '\0');
            }
        };
    }

    private static Optional<String> text(JsonNode body, String field) {
        return body.hasNonNull(field) && !body.get(field).asText().isEmpty()
                ? Optional.of(body.get(field).asText()) : Optional.empty();
    }

    private static ObjectNode operator(Operator operator) {
        ObjectNode node = JSON.createObjectNode().put("name", operator.name()).put("role", operator.role().wireName())
                .put("totp", operator.totpSecret().isPresent()).put("failed_logins", operator.failures())
                .put("created", operator.created().toString());
        operator.lockedUntil().ifPresent(t -> node.put("locked_until", t.toString()));
        return node;
    }

    private static ObjectNode token(OperatorToken token) {
        ObjectNode node = JSON.createObjectNode().put("id", token.id()).put("operator", token.operator())
                .put("label", token.label()).put("created", token.created().toString())
                .put("expires", token.expires().toString());
        token.revoked().ifPresent(t -> node.put("revoked", t.toString()));
        return node;
    }
}
