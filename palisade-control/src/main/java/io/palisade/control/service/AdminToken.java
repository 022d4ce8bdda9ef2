package io.palisade.control.service;

import io.palisade.core.secret.SecretBytes;
import java.io.IOException;

/**
 * The admin token in force, and its rotation. Rotating writes a new token into the data directory and
 * makes the old one invalid at once: a token that leaked (a shell history, a ticket) stops working the
 * moment the operator rotates, and commands on the host read the new one from the file.
 */
public final class AdminToken implements AutoCloseable {

    /** Writes a new token where commands on this host read it, and returns it. */
    @FunctionalInterface
    public interface Source {
        SecretBytes newToken() throws IOException;
    }

    private final Source source;
    private SecretBytes current;

    public AdminToken(SecretBytes initial, Source source) {
        this.current = initial;
        this.source = source;
    }

    /** Constant-time comparison with the token in force. */
    public synchronized boolean matches(byte[] presented) {
        return current.contentEquals(presented);
    }

    /** Replaces the token; returns a copy of the new one (the caller closes it). */
    public synchronized SecretBytes rotate() throws IOException {
        SecretBytes next = source.newToken();
        SecretBytes previous = current;
        current = next;
        previous.close();
        return SecretBytes.wrap(next.copy());
    }

    @Override
    public synchronized void close() {
        current.close();
    }
}
