package io.palisade.sim.eval;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.gateway.DeviceQuota;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.PublishGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One simulated device: its identity and class, where it connects from, and its session state at the gateway. */
final class SimDevice {

    final DeviceId id;
    final DeviceClass kind;
    final String address;
    final Payloads payloads;
    final List<String> topics = new ArrayList<>();
    final List<String> filters = new ArrayList<>();
    Device registered;
    DeviceQuota quota;
    /** The gateway's decision on this device's publishes, one per connection as a session has one. */
    PublishGate gate;
    boolean connected;
    /** Until when the gateway does not read from this device (quota throttling): its sends wait. */
    long throttledUntilNanos;
    /** Bumped at every (re)connection, so tasks of an earlier connection can tell they are stale. */
    int connection;

    SimDevice(DeviceId id, DeviceClass kind, String address, Payloads payloads, Instant created) {
        this.id = id;
        this.kind = kind;
        this.address = address;
        this.payloads = payloads;
        this.registered = new Device(id, kind.profile, "plant", DeviceState.ENROLLED, false, created, created);
        for (int i = 0; i < kind.topics; i++) {
            topics.add("devices/" + id.value() + "/" + (i == 0 ? "telemetry" : "status-" + i));
        }
        for (int i = 0; i < kind.subscriptions; i++) {
            filters.add(i == 0 ? "devices/" + id.value() + "/cmd/#" : i == 1 ? "quarantine/" + id.value() + "/#"
                    : "devices/" + id.value() + "/config");
        }
    }

    void connect(GatewayLimits limits, long now) {
        connected = true;
        connection++;
        if (quota == null) {
            quota = new DeviceQuota(limits, now); // per device, as the gateway keeps it across reconnects
        }
        throttledUntilNanos = 0;
    }

    boolean quarantined() {
        return registered.quarantined();
    }
}
