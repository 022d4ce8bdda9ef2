package io.palisade.agent.tamper;

import java.io.IOException;
import java.util.function.Consumer;

/** One kind of tamper sensor; reads on a thread of its own until closed. */
public interface TamperSource extends AutoCloseable {

    /** Starts watching; each signal goes to {@code signals} on the source's thread. */
    void start(Consumer<TamperSignal> signals) throws IOException;

    /** What is watched, for the start-up log ("kernel uevents (usb, block)"). */
    String describe();

    @Override
    void close();
}
