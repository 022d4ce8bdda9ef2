package io.palisade.detect;

import io.palisade.core.device.DeviceId;
import java.util.Optional;

/**
 * Who behaviour is tracked for: a device (known identity) or, for failures before any identity is
 * established, a source address.
 */
record Subject(Optional<DeviceId> device, String address) {

    static Subject of(DeviceId device) {
        return new Subject(Optional.of(device), "");
    }

    static Subject ofAddress(String address) {
        return new Subject(Optional.empty(), address);
    }

    @Override
    public String toString() {
        return device.map(DeviceId::value).orElse("address " + address);
    }
}
