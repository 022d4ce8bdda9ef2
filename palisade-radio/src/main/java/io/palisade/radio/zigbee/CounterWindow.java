package io.palisade.radio.zigbee;

import java.time.Duration;
import java.time.Instant;

/**
 * One sender's frame-counter window under one key, as IPsec keeps its anti-replay window (RFC 4303 3.4.3): the highest
 * counter accepted and a bitmap of the {@value #SIZE} counters up to it already seen, so frames that two sniffers
 * deliver out of order are accepted once each. A counter seen again is a retransmission when it is the last accepted
 * frame again within {@link #RETRANSMISSION}; anything else seen before, or older than the window, is a replay.
 */
final class CounterWindow {

    static final int SIZE = 64;
    /** How long after a frame its MAC-level retransmission (same bytes, lost ACK) can still arrive. */
    static final Duration RETRANSMISSION = Duration.ofSeconds(1);

    enum Check { NEW, RETRANSMISSION, REPLAY }

    private long highest;
    private long seen;
    private long lastCounter = -1;
    private Instant lastTime = Instant.EPOCH;

    CounterWindow(long highest, long seen) {
        this.highest = highest;
        this.seen = seen;
    }

    static CounterWindow empty() {
        return new CounterWindow(-1, 0);
    }

    Check check(long counter, Instant time) {
        if (highest < 0 || counter > highest) {
            return Check.NEW;
        }
        long behind = highest - counter;
        if (behind < SIZE && (seen & (1L << behind)) == 0) {
            return Check.NEW;
        }
        boolean repeatOfLast = counter == lastCounter && !time.isAfter(lastTime.plus(RETRANSMISSION))
                && !time.isBefore(lastTime);
        return repeatOfLast ? Check.RETRANSMISSION : Check.REPLAY;
    }

    void accept(long counter, Instant time) {
        if (highest < 0 || counter > highest) {
            long shift = highest < 0 ? SIZE : counter - highest;
            seen = shift >= SIZE ? 1 : (seen << shift) | 1;
            highest = counter;
        } else {
            seen |= 1L << (highest - counter);
        }
        lastCounter = counter;
        lastTime = time;
    }

    long highest() {
        return highest;
    }

    long seen() {
        return seen;
    }
}
