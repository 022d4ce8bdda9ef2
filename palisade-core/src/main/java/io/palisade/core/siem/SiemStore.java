package io.palisade.core.siem;

import java.util.List;
import java.util.Optional;

/**
 * Durable SIEM destinations and their delivery cursors. The cursor is the id of the newest stored event the
 * destination is known to have received (or to have been skipped for, not matching its filter); delivery
 * resumes after it, after a restart as after a receiver outage.
 */
public interface SiemStore {

    /** Every destination, by name. */
    List<SiemDestination> list();

    Optional<SiemDestination> find(String name);

    /** Adds {@code destination} with its cursor at {@code startAfterId}; false when the name is taken. */
    boolean add(SiemDestination destination, long startAfterId);

    /** Removes it and its cursor; false when there was none. */
    boolean remove(String name);

    /** The destination's cursor (0 when it has none). */
    long cursor(String name);

    /** Moves the cursor forward (never back). */
    void advance(String name, long deliveredId);
}
