package io.palisade.sim.eval;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time: a nanosecond counter from a start instant, advanced by the event loop only. */
final class VirtualClock extends Clock {

    private final Instant start;
    private long nanos;

    VirtualClock(Instant start) {
        this.start = start;
    }

    long nanos() {
        return nanos;
    }

    void advanceTo(long nanos) {
        if (nanos > this.nanos) {
            this.nanos = nanos;
        }
    }

    Instant at(long nanos) {
        return start.plusNanos(nanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("simulated time is UTC");
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos);
    }
}
