package io.palisade.radio.zigbee;

import java.util.Optional;

/**
 * A ZigBee application-support-layer frame (the payload of a NWK data frame): for data frames the endpoints, cluster
 * and profile that say what the payload means. {@code headerLength} covers the APS header and its auxiliary header.
 */
public record ApsFrame(int frameType, int deliveryMode, int destinationEndpoint, int cluster, int profile,
                       int sourceEndpoint, int counter, Optional<ZigbeeAuxHeader> security, byte[] bytes,
                       int headerLength) {

    public static final int DATA = 0;
    public static final int COMMAND = 1;
    public static final int ACK = 2;

    public boolean secured() {
        return security.isPresent();
    }
}
