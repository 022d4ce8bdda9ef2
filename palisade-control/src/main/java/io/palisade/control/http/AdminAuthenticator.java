package io.palisade.control.http;

import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.control.operator.Principal;
import io.palisade.core.operator.Permission;
import io.palisade.core.secret.SecretBytes;
import java.util.Optional;

import java.nio.charset.StandardCharsets;

/**
 * Checks the REST API's bearer token, the bootstrap admin token (constant-time compare) or an operator's
 * {@code pot_} token, rate-limiting failures (and only failures) per address, and whether the role of who
 * presented it may make the request ({@link RoleMatrix}).
 */
public final class AdminAuthenticator {

    private final io.palisade.control.service.AdminToken adminToken;
    private final FailureLimiter limiter;
    private final Events events;
    private final io.palisade.control.operator.OperatorService operators;

    /** Bearer tokens: the admin token or operators' tokens; session cookies: operators' browser sessions. */
    public AdminAuthenticator(io.palisade.control.service.AdminToken adminToken, FailureLimiter limiter, Events events,
                              io.palisade.control.operator.OperatorService operators) {
        this.adminToken = adminToken;
        this.limiter = limiter;
        this.events = events;
        this.operators = operators;
    }

    /** The session cookie's name; the cookie is Secure, HttpOnly and SameSite=Strict. */
    public static final String SESSION_COOKIE = "palisade_session";
    /** The header a change made with a session cookie must carry (the CSRF token the login answered). */
    public static final String CSRF_HEADER = "x-csrf-token";

    /**
     * A valid token is accepted whatever the failures of its address: others' mistakes (or an attacker
     * sharing a NAT address or the loopback) must never lock the operator out. Only a request without
     * the valid token meets the failure limit, before its failure is recorded. Checking a presented
     * token costs one constant-time compare, and a 256-bit token cannot be guessed at any rate.
     */
    public Principal authenticate(HttpCall call) throws Refusal {
        String header = call.header("authorization").orElse("");
        boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7);
        if (bearer) {
            Optional<Principal> who = presented(header);
            if (who.isPresent()) {
                return who.get();
            }
        } else {
            Optional<String> cookie = SessionCookies.value(call, SESSION_COOKIE);
            if (cookie.isPresent()) {
                Optional<io.palisade.control.operator.OperatorService.SessionPrincipal> session =
                        operators.authenticateSession(cookie.get().getBytes(StandardCharsets.US_ASCII));
                if (session.isPresent()) {
                    if (!call.method().equals("GET") && !call.method().equals("HEAD")
                            && !operators.csrfMatches(session.get().tokenId(), call.header(CSRF_HEADER).orElse(null))) {
                        throw events.refuse(Refusal.Kind.FORBIDDEN, EventType.ADMIN_REQUEST_REFUSED, Severity.MEDIUM,
                                null, call.remoteAddress(), "a change made with the session of "
                                        + session.get().principal().name() + " without its CSRF token ("
                                        + call.method() + " " + call.path() + ")");
                    }
                    return session.get().principal();
                }
            }
        }
        limiter.checkAllowed(call.remoteAddress());
        throw fail(call, bearer ? "the token is not valid (unknown, expired or revoked)"
                : "the API requires 'Authorization: Bearer <token>'");
    }

    private Optional<Principal> presented(String header) {
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        try {
            return adminToken.matches(presented) ? Optional.of(Principal.BOOTSTRAP) : operators.authenticate(presented);
        } finally {
            SecretBytes.wipe(presented);
        }
    }

    /**
     * {@code route} behind the admin token: the shared guard of every REST API route that needs it. Every
     * request that may change something (any method but GET and HEAD) is recorded as an {@code admin.action}
     * event once it has been answered: who, from where, what, and how it ended.
     */
    public Route guard(Route route) {
        return (unauthenticated, parameters) -> {
            Principal who = authenticate(unauthenticated);
            HttpCall call = who == Principal.BOOTSTRAP ? unauthenticated : unauthenticated.byActor(who.name());
            Permission needed = RoleMatrix.required(call.method(), call.path());
            if (!who.role().may(needed)) {
                String why = who.name() + " (role " + who.role().wireName() + ") may not " + call.method() + " "
                        + call.path() + ": it needs the " + needed.name().toLowerCase(java.util.Locale.ROOT)
                        + " permission";
                recordAction(call, "forbidden", "403", why);
                throw new Refusal(Refusal.Kind.FORBIDDEN, why);
            }
            if (call.method().equals("GET") || call.method().equals("HEAD")) {
                return route.handle(call, parameters);
            }
            try {
                HttpReply reply = route.handle(call, parameters);
                recordAction(call, reply.status() < 400 ? "succeeded" : "failed", Integer.toString(reply.status()), "");
                return reply;
            } catch (Refusal refusal) {
                recordAction(call, "refused", refusal.kind().name().toLowerCase(java.util.Locale.ROOT),
                        refusal.getMessage());
                throw refusal;
            } catch (RuntimeException e) {
                recordAction(call, "failed", "error", String.valueOf(e.getMessage()));
                throw e;
            }
        };
    }

    private void recordAction(HttpCall call, String outcome, String status, String why) {
        String actor = JsonBodies.actor(call);
        String what = call.method() + " " + call.path();
        events.emit(events.event(EventType.ADMIN_ACTION, outcome.equals("succeeded") ? Severity.INFO
                        : outcome.equals("forbidden") ? Severity.MEDIUM : Severity.LOW,
                null, call.remoteAddress(), actor + ": " + what + " " + outcome + (why.isEmpty() ? "" : ": " + why))
                .withDetails(java.util.Map.of("actor", actor, "method", call.method(), "path", call.path(),
                        "outcome", outcome, "status", status)));
    }

    private Refusal fail(HttpCall call, String message) {
        limiter.recordFailure(call.remoteAddress());
        return events.refuse(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, null,
                call.remoteAddress(), message + " (" + call.method() + " " + call.path() + ")");
    }
}
