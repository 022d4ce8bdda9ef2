package io.palisade.app;

import io.palisade.control.ControlPlane;
import io.palisade.core.overlay.OverlayAccess;
import io.palisade.gateway.DeviceTls;
import io.palisade.legacy.overlay.TunnelServer;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * Wires the overlay's tunnel listener into a running instance: device certificates from Palisade's CA (the same TLS
 * context as the device ports), the control plane's grants and hosts, revocations and device changes cutting open
 * tunnels, session records into the event store, Modbus inside tunnels into detection.
 */
public final class OverlayTunnels {

    private OverlayTunnels() {
    }

    public static TunnelServer start(RunningPalisade palisade, InetSocketAddress listen) throws Exception {
        ControlPlane plane = palisade.controlPlane();
        var identity = plane.serverIdentity();
        TunnelServer server = TunnelServer.start(listen, DeviceTls.serverContext(identity.key(), identity.chain(),
                        plane.ca().chain()), plane.registry(), plane.overlay().store(),
                new OverlayAccess(plane.policies()::isSegmentQuarantined), plane.overlay()::operatorExists,
                plane.eventBus(), plane.eventBus().durable(), palisade.detectionTraffic(), Clock.systemUTC());
        plane.overlay().onRevoked(server::grantRevoked);
        plane.overlay().onOperatorRemoved(server::operatorRemoved);
        plane.devices().addListener(server);
        return server;
    }
}
