package io.palisade.radio.coap;

import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionListener;

/**
 * Records each failed DTLS handshake (an unknown PSK identity, a wrong key, a certificate not from Palisade's CA)
 * against its source address; the bus aggregates a flood of them.
 */
final class HandshakeFailures implements SessionListener {

    private final CoapEvents events;

    HandshakeFailures(CoapEvents events) {
        this.events = events;
    }

    @Override
    public void handshakeStarted(Handshaker handshaker) {
    }

    @Override
    public void contextEstablished(Handshaker handshaker, DTLSContext establishedContext) {
    }

    @Override
    public void handshakeCompleted(Handshaker handshaker) {
    }

    @Override
    public void handshakeFailed(Handshaker handshaker, Throwable error) {
        events.handshakeFailed(handshaker.getPeerAddress().getAddress().getHostAddress(), explain(handshaker, error));
    }

    /**
     * Scandium's reason, explained where it is cryptic: a wrong key or an unknown identity does not fail a PSK
     * handshake at once (records that do not decrypt are dropped, and an unknown identity is not revealed), it stops
     * answering and ends by timeout.
     */
    static String explain(Handshaker handshaker, Throwable error) {
        String reason = String.valueOf(error.getMessage());
        var session = handshaker.getSession();
        boolean psk = session != null && session.getCipherSuite() != null && session.getCipherSuite().isPskBased();
        if (psk && reason.contains("timeout")) {
            return "the pre-shared key handshake did not complete (a wrong key or an unknown PSK identity): " + reason;
        }
        return reason;
    }

    @Override
    public void handshakeFlightRetransmitted(Handshaker handshaker, int flight) {
    }
}
