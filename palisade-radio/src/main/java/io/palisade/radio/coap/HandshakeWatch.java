package io.palisade.radio.coap;

import io.palisade.core.limit.KeyedRateLimiter;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionListener;

/**
 * Watches the DTLS handshakes: an address may start only so many a second ({@link CoapLimits}; the cookie exchange
 * before proves the address is real), more are failed at once with a {@code quota.exceeded} event; each failed handshake (an unknown PSK identity, a wrong key, a
 * certificate not from Palisade's CA) is an {@code auth.failed} against its source address. The bus aggregates floods
 * of either.
 */
final class HandshakeWatch implements SessionListener {

    private final CoapEvents events;
    private final KeyedRateLimiter<String> perAddress;

    HandshakeWatch(CoapEvents events, KeyedRateLimiter<String> perAddress) {
        this.events = events;
        this.perAddress = perAddress;
    }

    @Override
    public void handshakeStarted(Handshaker handshaker) throws HandshakeException {
        String address = handshaker.getPeerAddress().getAddress().getHostAddress();
        if (!perAddress.tryAcquire(address)) {
            events.handshakesOverQuota(address);
            throw new HandshakeException(OVER_QUOTA, new AlertMessage(AlertMessage.AlertLevel.FATAL,
                    AlertMessage.AlertDescription.HANDSHAKE_FAILURE));
        }
    }

    static final String OVER_QUOTA = "too many handshakes from this address";

    @Override
    public void contextEstablished(Handshaker handshaker, DTLSContext establishedContext) {
    }

    @Override
    public void handshakeCompleted(Handshaker handshaker) {
    }

    @Override
    public void handshakeFailed(Handshaker handshaker, Throwable error) {
        if (OVER_QUOTA.equals(error.getMessage())) {
            return; // recorded as quota.exceeded where it was refused
        }
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
