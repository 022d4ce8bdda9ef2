package io.palisade.control.siem;

import java.io.IOException;
import java.util.List;

/**
 * Carries records to one receiver, from one thread (its destination's), and says how far the receiver is
 * known to have them: the id of the newest event such that it and every earlier one sent is delivered.
 * Records are sent in order. When a transport fails it forgets what it could not confirm and throws; its
 * caller then reads the events again from its durable cursor and sends them again, so delivery is at least
 * once and a receiver may see a record twice (each carries its event id).
 */
public interface SiemTransport extends AutoCloseable {

    /**
     * Sends {@code records} (possibly none: then it only re-checks what is unconfirmed) and returns the id of
     * the newest event known delivered, or {@code 0} when none is yet. Throws when the receiver cannot be
     * reached or was lost with records unconfirmed.
     */
    long deliver(List<Outgoing> records) throws IOException;

    /** How many sent records wait for confirmation. */
    int unconfirmed();

    @Override
    void close();
}
