package io.palisade.core.cluster;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How instances tell each other about changes. {@link #publish} never blocks its caller on the network (a
 * channel queues what it cannot send yet and sends it, in order, once it can); listeners get the notices of
 * every other instance, in the order each instance sent them, on the channel's own thread.
 */
public interface StateChannel extends AutoCloseable {

    /** The channel of a single instance: nothing to tell, nobody to hear. */
    StateChannel NONE = new StateChannel() {
        @Override
        public void publish(StateChange change) {
        }

        @Override
        public void listen(Consumer<StateChange> listener) {
        }

        @Override
        public Health health() {
            return Health.SINGLE;
        }

        @Override
        public void close() {
        }
    };

    void publish(StateChange change);

    /** Adds a listener for other instances' notices; it must not block (it runs on the channel's thread). */
    void listen(Consumer<StateChange> listener);

    Health health();

    @Override
    void close();

    /**
     * Whether the channel is in touch with the bus.
     *
     * @param state       {@code single} (no bus), {@code ok}, or {@code degraded} (the bus cannot be reached:
     *                    this instance serves with what it last knew)
     * @param since       when the current outage began
     * @param unsent      notices of this instance waiting to be sent
     * @param lastContact when the bus last answered
     */
    record Health(String state, Optional<Instant> since, long unsent, Optional<Instant> lastContact) {

        public static final Health SINGLE = new Health("single", Optional.empty(), 0, Optional.empty());

        public boolean degraded() {
            return "degraded".equals(state);
        }
    }
}
