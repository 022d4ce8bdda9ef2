package io.palisade.store;

/**
 * The store failed (disk full, database gone, pool exhausted); the message names the operation, the pool's
 * state and the database's own error.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code message} already says what failed and why (see {@code Database.rootMessage}). */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
