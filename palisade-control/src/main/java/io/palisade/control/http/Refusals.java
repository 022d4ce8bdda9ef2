package io.palisade.control.http;

import io.palisade.control.service.Refusal;

/** Maps transport-free refusals onto HTTP statuses. */
final class Refusals {

    private Refusals() {
    }

    static int status(Refusal.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
        };
    }

    /** Adds the headers a client needs to react: Retry-After for 429. */
    static HttpReply decorate(HttpReply reply, Refusal refusal) {
        if (refusal.kind() == Refusal.Kind.RATE_LIMITED) {
            return reply.withHeader("Retry-After", Long.toString(Math.max(1, refusal.retryAfterSeconds())));
        }
        return reply;
    }
}
