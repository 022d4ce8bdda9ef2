package io.palisade.firmware.tuf;

/** An update refused by the client; the message names the attack or fault it guards against. */
public final class TufException extends Exception {

    private static final long serialVersionUID = 1L;

    public TufException(String message) {
        super(message);
    }

    public TufException(String message, Throwable cause) {
        super(message, cause);
    }
}
