package io.palisade.radio.zigbee;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A ZigBee network-layer frame (the payload of an 802.15.4 data frame). {@code headerLength} covers the NWK header and,
 * when secured, its auxiliary header; payload and MIC follow.
 */
public record NwkFrame(int frameType, int protocolVersion, int destination, int source, int radius, int sequence,
                       OptionalLong destinationIeee, OptionalLong sourceIeee, Optional<ZigbeeAuxHeader> security,
                       byte[] bytes, int headerLength) {

    public static final int DATA = 0;
    public static final int COMMAND = 1;

    public boolean secured() {
        return security.isPresent();
    }
}
