package io.palisade.control.service;

/**
 * A request the control plane refuses. The kind maps onto a protocol status (HTTP here) by the
 * adapter; the message is one sentence that the requester may read.
 */
public final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request was refused, independent of transport. */
    public enum Kind {
        MALFORMED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, RATE_LIMITED, UNSUPPORTED_MEDIA_TYPE
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public Refusal(Kind kind, String message) {
        this(kind, message, 0);
    }

    public Refusal(Kind kind, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
