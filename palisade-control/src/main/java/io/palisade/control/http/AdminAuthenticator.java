package io.palisade.control.http;

import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.secret.SecretBytes;
import java.nio.charset.StandardCharsets;

/** Checks the REST API's bearer admin token in constant time, rate-limiting failures per address. */
public final class AdminAuthenticator {

    private final SecretBytes adminToken;
    private final FailureLimiter limiter;
    private final Events events;

    public AdminAuthenticator(SecretBytes adminToken, FailureLimiter limiter, Events events) {
        this.adminToken = adminToken;
        this.limiter = limiter;
        this.events = events;
    }

    public void authenticate(HttpCall call) throws Refusal {
        limiter.checkAllowed(call.remoteAddress());
        String header = call.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw fail(call, "the API requires 'Authorization: Bearer <admin token>'");
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        try {
            if (!adminToken.contentEquals(presented)) {
                throw fail(call, "the admin token is not valid");
            }
        } finally {
            SecretBytes.wipe(presented);
        }
    }

    /** {@code route} behind the admin token: the shared guard of every REST API route that needs it. */
    public Route guard(Route route) {
        return (call, parameters) -> {
            authenticate(call);
            return route.handle(call, parameters);
        };
    }

    private Refusal fail(HttpCall call, String message) {
        limiter.recordFailure(call.remoteAddress());
        return events.refuse(Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, Severity.MEDIUM, null,
                call.remoteAddress(), message + " (" + call.method() + " " + call.path() + ")");
    }
}
