package io.palisade.pki.est;

/** A certificate request that Palisade refuses; the message is one sentence fit for the requester. */
public final class CsrRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public CsrRejectedException(String message) {
        super(message);
    }

    public CsrRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
