package io.palisade.radio.zigbee;

import io.palisade.core.device.DeviceId;

/** What became of one frame. */
public sealed interface Verdict {

    /** Verified through every layer that secures it, from a bound device: its APS payload goes to the device's topic. */
    record Forward(DeviceId device, long sourceIeee, ApsFrame aps, byte[] payload) implements Verdict {
    }

    /** Nothing to forward and nothing wrong (a beacon, an acknowledgement, a NWK command, a retransmission). */
    record Ignored(String why) implements Verdict {
    }

    /** Something wrong, recorded against the feed and network; {@code claimedSource} is the address the frame names. */
    record Flagged(RadioFinding finding, String claimedSource, String reason) implements Verdict {
    }
}
