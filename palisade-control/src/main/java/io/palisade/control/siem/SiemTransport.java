package io.palisade.control.siem;

import java.io.IOException;
import java.util.List;

/**
 * Carries records to one receiver, from one thread (its destination's), and says how far the receiver is
 * known to have them: the id of the newest event such that it and every earlier one sent is delivered.
 * Records are sent in order. What a transport could not confirm it keeps and sends again, first, after a
 * failure, so that delivery is at least once; a receiver may see a record twice (each carries its event id).
 */
public interface SiemTransport extends AutoCloseable {

    /**
     * Sends {@code records} (possibly none: then it only re-checks what is unconfirmed) and returns the id of
     * the newest event known delivered, or {@code 0} when none is yet. Throws when the receiver cannot be
     * reached; the caller backs off and calls again with the next records, which go after the unconfirmed ones.
     */
    long deliver(List<Outgoing> records) throws IOException;

    /** How many sent records wait for confirmation. */
    int unconfirmed();

    @Override
    void close();
}
