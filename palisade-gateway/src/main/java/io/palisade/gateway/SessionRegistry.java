package io.palisade.gateway;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live session of each connected device, so that control-plane decisions reach it at once:
 * revocation closes the session, quarantine and release change what the session may do from its
 * next packet on (in both directions).
 */
public final class SessionRegistry implements DeviceChangeListener {

    private final Map<DeviceId, DeviceSession> sessions = new ConcurrentHashMap<>();

    void register(DeviceSession session) {
        sessions.put(session.deviceId(), session);
    }

    void unregister(DeviceSession session) {
        sessions.remove(session.deviceId(), session);
    }

    public int size() {
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
