package io.palisade.control.http;

/**
 * The body of a reply that stays open after its head, such as Server-Sent Events: the dispatcher writes the head,
 * lifts the connection's read and request-head deadlines (the client will not send again), and hands the stream a
 * {@link Sink}. The stream must not block in {@link #open}; it sends later from any thread.
 */
@FunctionalInterface
public interface ReplyStream {

    /** Starts sending to {@code sink}; the returned action runs once when the client goes or the sink closes. */
    Runnable open(Sink sink);

    /** Where a stream sends its chunks. Thread-safe. */
    interface Sink {

        /**
         * Queues {@code text} for the client; false (and the connection closed) when the client has fallen more than
         * the allowed number of chunks behind, so one slow reader cannot make the server hold an unbounded backlog.
         */
        boolean send(String text);

        boolean isOpen();

        /** Ends the reply and closes the connection. */
        void close();
    }
}
