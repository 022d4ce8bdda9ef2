package io.palisade.control.service;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;

/** The device a request names, or the refusal that says why there is none: one wording for every service. */
final class RegisteredDevices {

    private RegisteredDevices() {
    }

    /** The registered device {@code text} names (400 when it is no device id, 404 when there is none). */
    static Device find(DeviceRegistry registry, String text) throws Refusal {
        DeviceId id;
        try {
            id = DeviceId.of(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        return registry.find(id).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "there is no device " + id));
    }

    /** As {@link #find}, and not revoked (409): a key or binding for a revoked device would vouch for nobody. */
    static Device unrevoked(DeviceRegistry registry, String text) throws Refusal {
        Device device = find(registry, text);
        if (device.state() == DeviceState.REVOKED) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " is revoked");
        }
        return device;
    }
}
