package io.palisade.core.cluster;

/**
 * Work that one instance among several must do alone, because doing it twice is wrong: exporting events to SIEM
 * destinations (each would send every event), handling device reports that count (a tamper report's counter would
 * read as a replay the second time), pruning and checkpointing the shared audit chain. Whoever holds the duty does
 * it; the others stand by and take it over when the holder goes away. A single instance always holds it.
 */
@FunctionalInterface
public interface Duty {

    /** The duty of a single instance: always held. */
    Duty ALWAYS = () -> true;

    /** Whether this instance does the singleton work now; checked before each piece of it. */
    boolean held();
}
