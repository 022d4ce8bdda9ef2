package io.palisade.control.siem;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Syslog over TLS or TCP, delivered at least once although syslog has no acknowledgement. A record counts as
 * delivered once the connection it went out on has stayed open for the settle time after it was written: a
 * receiver that dies (killed, restarted) loses what sat in its socket buffer and queues, and it dies within
 * moments of failing to handle a record, so the records of its last moments are still unconfirmed here. When
 * the connection turns out to be gone (a write fails, or the receiver closed it) this transport throws and
 * forgets the unconfirmed records, which its forwarder reads again from the store and sends first on the
 * next connection. A receiver that keeps a connection open but silently drops records cannot be caught this
 * way. What waits is kept per batch (its last id and when it was written), so a long settle time at a high
 * rate costs little memory.
 */
final class StreamSyslogTransport implements SiemTransport {

    /** How long a connection must outlive a record for the record to count as delivered. */
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);
    /** How often at most the connection is probed while records wait (each probe may wait a millisecond). */
    static final long PROBE_INTERVAL_NANOS = Duration.ofMillis(50).toNanos();
    private final SyslogSender sender;
    private final long settleNanos;
    private final LongSupplier nanoTime;
    private final Deque<Sent> unconfirmed = new ArrayDeque<>();
    private int unconfirmedRecords;
    private long confirmed;
    /** When the connection was last seen open by a probe; nothing sent after it is confirmed yet. */
    private long lastSeenOpen;
    private boolean probed;

    StreamSyslogTransport(SyslogSender sender, Duration settle, LongSupplier nanoTime) {
        this.sender = sender;
        this.settleNanos = settle.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public long deliver(List<Outgoing> records) throws IOException {
        try {
            long now = nanoTime.getAsLong();
            if (!unconfirmed.isEmpty() && (!probed || now - lastSeenOpen >= PROBE_INTERVAL_NANOS)) {
                if (sender.peerClosed()) { // waits up to a millisecond: not once per batch at full speed
                    throw new IOException("the receiver closed the connection with " + unconfirmedRecords
                            + " records unconfirmed; they go again on the next connection");
                }
                lastSeenOpen = now;
                probed = true;
            }
            if (!records.isEmpty()) {
                sender.send(records.stream().map(Outgoing::record).toList());
                unconfirmed.addLast(new Sent(records.get(records.size() - 1).eventId(), records.size(),
                        nanoTime.getAsLong()));
                unconfirmedRecords += records.size();
            }
        } catch (IOException e) {
            sender.close();
            probed = false; // what a lost connection was seen doing says nothing of the next one
            unconfirmed.clear();
            unconfirmedRecords = 0;
            throw e;
        }
        // Confirmed: what the connection was seen open for the settle time after (not merely what is old enough).
        long settled = lastSeenOpen - settleNanos;
        while (probed && !unconfirmed.isEmpty() && unconfirmed.peekFirst().sentAt() - settled <= 0) {
            Sent sent = unconfirmed.removeFirst();
            confirmed = sent.lastId();
            unconfirmedRecords -= sent.records();
        }
        return confirmed;
    }

    @Override
    public int unconfirmed() {
        return unconfirmedRecords;
    }

    @Override
    public void close() {
        sender.close();
    }

    /** One batch written: its last event id, how many records, when. */
    private record Sent(long lastId, int records, long sentAt) {
    }
}
