package io.palisade.cluster;

/** The bus could not be reached or set up at start; the message says what to check. */
public final class BusUnavailableException extends Exception {

    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
