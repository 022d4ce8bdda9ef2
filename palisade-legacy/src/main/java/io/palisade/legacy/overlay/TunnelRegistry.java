package io.palisade.legacy.overlay;

import io.netty.channel.Channel;
import io.palisade.core.device.DeviceId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The open tunnels, so that a revocation or a quarantine can find and cut the ones it ends. */
final class TunnelRegistry {

    private final Map<Channel, Tunnel> open = new ConcurrentHashMap<>();

    void add(Channel client, Tunnel tunnel) {
        open.put(client, tunnel);
        client.closeFuture().addListener(closed -> open.remove(client));
    }

    /** Cuts the tunnels of a grant; answers how many. */
    int cutGrant(String grant, String reason) {
        return cut(tunnel -> tunnel.grant().id().equals(grant), reason);
    }

    /** Cuts the tunnels with this device at either end; answers how many. */
    int cutDevice(DeviceId device, String reason) {
        return cut(tunnel -> tunnel.involves(device), reason);
    }

    /** Cuts an operator's tunnels; answers how many. */
    int cutOperator(String name, String reason) {
        io.palisade.core.overlay.OverlaySubject operator = io.palisade.core.overlay.OverlaySubject.operator(name);
        return cut(tunnel -> tunnel.subject().equals(operator), reason);
    }

    List<Tunnel> open() {
        return List.copyOf(open.values());
    }

    private int cut(Predicate<Tunnel> which, String reason) {
        int cut = 0;
        for (Map.Entry<Channel, Tunnel> entry : open.entrySet()) {
            if (which.test(entry.getValue())) {
                TunnelSession.cut(entry.getKey(), reason);
                cut++;
            }
        }
        return cut;
    }
}
