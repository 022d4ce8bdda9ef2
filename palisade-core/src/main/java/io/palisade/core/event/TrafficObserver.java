package io.palisade.core.event;

import io.palisade.core.device.DeviceId;

/**
 * Sees every PUBLISH a device sent that the gateway let through: the traffic half of what detection
 * learns from (the other half is the security events). Called on I/O threads, once per message, so
 * implementations must be cheap and never block.
 */
@FunctionalInterface
public interface TrafficObserver {

    void published(DeviceId device, String topic, int payloadBytes);

    TrafficObserver NONE = (device, topic, payloadBytes) -> { };
}
