package io.palisade.core.device;

/**
 * Told when a device's standing changes, so that enforcement points (the gateway's live sessions,
 * the CRL cache) act at once instead of waiting for the next connection.
 */
@FunctionalInterface
public interface DeviceChangeListener {

    void deviceChanged(Device device, Change change);

    /** What happened to the device. */
    enum Change {
        REVOKED, QUARANTINED, RELEASED
    }
}
