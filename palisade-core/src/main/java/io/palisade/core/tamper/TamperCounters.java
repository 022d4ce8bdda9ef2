package io.palisade.core.tamper;

import io.palisade.core.device.DeviceId;
import java.time.Instant;

/** The highest report counter accepted from each device, kept across restarts. */
public interface TamperCounters {

    /**
     * Records {@code counter} for {@code device} if it is above every counter accepted from it before, in one
     * atomic step; answers false (and changes nothing) for a replayed or older report.
     */
    boolean advance(DeviceId device, long counter, Instant now);
}
