package io.palisade.legacy.overlay;

import io.palisade.core.device.DeviceId;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;
import io.palisade.core.overlay.OverlaySubject;

/** An admitted tunnel: who opened it from where, to which host and port, under which grant. */
record Tunnel(OverlaySubject subject, String address, ConnectRequest target, OverlayGrant grant, OverlayHost host) {

    boolean involves(DeviceId device) {
        return subject.deviceId().filter(device::equals).isPresent() || target.device().equals(device);
    }

    /** The device to attribute the tunnel's events to: the subject's, when it is a device. */
    DeviceId subjectDevice() {
        return subject.deviceId().orElse(null);
    }

    boolean modbus() {
        return host.modbus(target.port());
    }
}
