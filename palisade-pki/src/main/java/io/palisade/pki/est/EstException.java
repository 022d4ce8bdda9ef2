package io.palisade.pki.est;

/** An EST exchange that failed; {@code status} is the HTTP status, or 0 when no response arrived. */
public final class EstException extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;

    public EstException(int status, String message) {
        super(message);
        this.status = status;
    }

    public EstException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
