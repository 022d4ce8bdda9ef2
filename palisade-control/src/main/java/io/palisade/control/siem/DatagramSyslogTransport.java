package io.palisade.control.siem;

import java.io.IOException;
import java.util.List;

/**
 * Syslog over UDP (RFC 5426): fire and forget. A datagram that left counts as delivered, because nothing
 * will ever say otherwise; records longer than a datagram are cut ({@link SyslogSender}). For a SIEM that
 * must not miss an event, use {@code syslog+tls://}.
 */
final class DatagramSyslogTransport implements SiemTransport {

    private final SyslogSender sender;
    private long sent;

    DatagramSyslogTransport(SyslogSender sender) {
        this.sender = sender;
    }

    @Override
    public long deliver(List<Outgoing> records) throws IOException {
        if (!records.isEmpty()) {
            sender.send(records.stream().map(Outgoing::record).toList());
            sent = records.get(records.size() - 1).eventId();
        }
        return sent;
    }

    @Override
    public int unconfirmed() {
        return 0;
    }

    @Override
    public void close() {
        sender.close();
    }
}
