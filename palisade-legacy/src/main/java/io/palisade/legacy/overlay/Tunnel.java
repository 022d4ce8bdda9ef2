package io.palisade.legacy.overlay;

import io.palisade.core.device.DeviceId;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;

/** An admitted tunnel: who opened it from where, to which host and port, under which grant. */
record Tunnel(DeviceId subject, String address, ConnectRequest target, OverlayGrant grant, OverlayHost host) {

    boolean involves(DeviceId device) {
        return subject.equals(device) || target.device().equals(device);
    }

    boolean modbus() {
        return host.modbus(target.port());
    }
}
