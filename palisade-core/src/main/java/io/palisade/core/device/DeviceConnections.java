package io.palisade.core.device;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the data plane says a device stands: connected (since when, from where, when it last sent
 * anything) or not, and when it was last seen. The gateway answers; the control plane shows it in
 * {@code device list|show} and the API. Empty for a device that has not connected since the start.
 */
@FunctionalInterface
public interface DeviceConnections {

    /** No data plane (the control plane alone, in tests): nothing known. */
    DeviceConnections NONE = id -> Optional.empty();

    Optional<Connection> connection(DeviceId id);

    /** How many devices have a session open now (0 when no data plane answers). */
    default int connectedCount() {
        return 0;
    }

    /**
     * @param connected whether a session is open now
     * @param since     when the current (or last) session began
     * @param address   the address it came from
     * @param lastSeen  when the device last sent anything (the session's end when disconnected)
     */
    record Connection(boolean connected, Instant since, String address, Instant lastSeen) {
    }
}
