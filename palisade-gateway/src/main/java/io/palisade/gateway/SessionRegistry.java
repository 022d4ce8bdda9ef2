package io.palisade.gateway;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceConnections;
import io.palisade.core.device.DeviceId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live session of each connected device, so that control-plane decisions reach it at once:
 * revocation closes the session, quarantine and release change what the session may do from its
 * next packet on (in both directions).
 */
public final class SessionRegistry implements DeviceChangeListener, DeviceConnections {

    private final Map<DeviceId, DeviceSession> sessions = new ConcurrentHashMap<>();
    /**
     * The last session of devices that disconnected since the start. Bounded by the enrolled fleet: only a
     * device that proved its certificate gets a session.
     */
    private final Map<DeviceId, Connection> ended = new ConcurrentHashMap<>();
    /** Quota cuts by detection, by device: factor and until when (System.nanoTime), kept across reconnects. */
    private final Map<DeviceId, double[]> restrictions = new ConcurrentHashMap<>();

    /**
     * Cuts a device's message and byte quotas to {@code 1/factor} for {@code duration}, on its live
     * session at once and on any session it opens before the time is up. Returns whether it is connected.
     */
    public boolean throttle(DeviceId id, double factor, java.time.Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        restrictions.put(id, new double[] {factor, until});
        restrictions.values().removeIf(r -> (long) r[1] - System.nanoTime() < 0); // bounded: expired ones go
        DeviceSession session = sessions.get(id);
        if (session != null) {
            session.restrictQuota(factor, until);
        }
        return session != null;
    }

    /** The quota cut in force for a device, as {factor, untilNanos}, if any. */
    Optional<double[]> restriction(DeviceId id) {
        double[] restriction = restrictions.get(id);
        return restriction == null || (long) restriction[1] - System.nanoTime() < 0 ? Optional.empty()
                : Optional.of(restriction);
    }

    void register(DeviceSession session) {
        sessions.put(session.deviceId(), session);
    }

    void unregister(DeviceSession session) {
        if (sessions.remove(session.deviceId(), session)) {
            ended.put(session.deviceId(), session.connection(false));
        }
    }

    @Override
    public Optional<Connection> connection(DeviceId id) {
        DeviceSession open = sessions.get(id);
        return open != null ? Optional.of(open.connection(true)) : Optional.ofNullable(ended.get(id));
    }

    public int size() {
        return sessions.size();
    }

    @Override
    public int connectedCount() {
        return sessions.size();
    }

    public boolean isConnected(DeviceId id) {
        return sessions.containsKey(id);
    }

    Optional<DeviceSession> find(DeviceId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public void deviceChanged(Device device, Change change) {
        DeviceSession session = sessions.get(device.id());
        if (session == null) {
            return;
        }
        if (change == Change.REVOKED) {
            session.kick("device " + device.id() + " was revoked");
        } else {
            session.updateDevice(device);
        }
    }
}
