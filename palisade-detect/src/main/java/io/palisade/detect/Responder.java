package io.palisade.detect;

import io.palisade.core.device.DeviceId;

/**
 * Carries out the response policy's decisions; the control plane implements it (stored, applied to
 * live sessions). Throttling and revocation are optional: a deployment that cannot do them says so.
 */
@FunctionalInterface
public interface Responder {

    void quarantine(DeviceId device, String reason) throws Exception;

    /** Cuts the device's message and byte quotas for a while, its live session included. */
    default void throttle(DeviceId device, String reason) throws Exception {
        throw new UnsupportedOperationException("throttling is not available here");
    }

    /** Revokes the device's certificates and closes its sessions. */
    default void revoke(DeviceId device, String reason) throws Exception {
        throw new UnsupportedOperationException("revocation is not available here");
    }
}
