package io.palisade.control.siem;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Syslog over TLS or TCP, delivered at least once although syslog has no acknowledgement. A record counts as
 * delivered once the connection it went out on has stayed open for {@link #settle} after it was written: a
 * receiver that dies (killed, restarted) loses what sat in its socket buffer and queues, and it dies within
 * moments of failing to handle a record, so the records of its last moments are still unconfirmed here. When
 * the connection turns out to be gone (a write fails, or the receiver closed it), every unconfirmed record
 * is sent again on the next connection, before anything new. A receiver that keeps a connection open but
 * silently drops records cannot be caught this way; use RFC 5425 receivers that write what they accept.
 */
final class StreamSyslogTransport implements SiemTransport {

    /** How long a connection must outlive a record for the record to count as delivered. */
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);
    private final SyslogSender sender;
    private final long settleNanos;
    private final LongSupplier nanoTime;
    private final Deque<Sent> unconfirmed = new ArrayDeque<>();
    private long confirmed;
    /** Whether the unconfirmed records must be sent again before anything new (after a lost connection). */
    private boolean resend;

    StreamSyslogTransport(SyslogSender sender, Duration settle, LongSupplier nanoTime) {
        this.sender = sender;
        this.settleNanos = settle.toNanos();
        this.nanoTime = nanoTime;
    }

    /** {@inheritDoc} The records are taken even when it throws: they go out first on the next connection. */
    @Override
    public long deliver(List<Outgoing> records) throws IOException {
        boolean lost = resend || (!unconfirmed.isEmpty() && sender.peerClosed());
        long now = nanoTime.getAsLong();
        records.forEach(outgoing -> unconfirmed.addLast(new Sent(outgoing, now)));
        if (lost) {
            sender.close();
            resend = true;
            List<String> again = new ArrayList<>(unconfirmed.size());
            unconfirmed.forEach(sent -> again.add(sent.outgoing().record()));
            sender.send(again); // throws while the receiver is down: resend stays set
            long sentAt = nanoTime.getAsLong();
            int count = unconfirmed.size();
            for (int i = 0; i < count; i++) { // the settle time starts again: this connection must outlive them
                unconfirmed.addLast(new Sent(unconfirmed.removeFirst().outgoing(), sentAt));
            }
            resend = false;
        } else if (!records.isEmpty()) {
            try {
                sender.send(records.stream().map(Outgoing::record).toList());
            } catch (IOException e) {
                resend = true;
                throw e;
            }
        }
        long settled = nanoTime.getAsLong() - settleNanos;
        while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().sentAt() - settled <= 0) {
            confirmed = unconfirmed.removeFirst().outgoing().eventId();
        }
        return confirmed;
    }

    @Override
    public int unconfirmed() {
        return unconfirmed.size();
    }

    @Override
    public void close() {
        sender.close();
    }

    private record Sent(Outgoing outgoing, long sentAt) {
    }
}
