package io.palisade.control.service;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.device.RevocationReason;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The end of a device's life: decommissioning (certificates revoked as cessation of operation, identity
 * ended, out of every roll-out, its history kept) and deleting (gone from the registry once nothing of it
 * is valid or on the CRL; its events stay).
 */
public final class DeviceRetirement {

    private final DeviceService devices;
    private final DeviceRegistry registry;
    private final RolloutService rollouts;
    private final Events events;
    private final Clock clock;
    private final io.palisade.core.detection.BehaviourStore behaviours;

    public DeviceRetirement(DeviceService devices, DeviceRegistry registry, RolloutService rollouts, Events events,
                            Clock clock, io.palisade.core.detection.BehaviourStore behaviours) {
        this.behaviours = behaviours;
        this.devices = devices;
        this.registry = registry;
        this.rollouts = rollouts;
        this.events = events;
        this.clock = clock;
    }

    /** Revokes, ends the identity, takes the device out of roll-outs; returns the revoked serials. */
    public List<String> decommission(String id, String actor, Optional<String> reason) throws Refusal {
        Device device = devices.show(id);
        List<String> serials = devices.revoke(id, actor, Optional.of("decommissioned" + reason.map(r -> ": " + r)
                .orElse("")), RevocationReason.CESSATION_OF_OPERATION);
        rollouts.removeDevice(device.id(), "decommissioned by " + actor);
        events.emit(events.event(EventType.DEVICE_DECOMMISSIONED, Severity.MEDIUM, device.id(), actor,
                        "device " + device.id() + " decommissioned" + reason.map(r -> ": " + r).orElse(""))
                .withDetail("serials", String.join(",", serials)));
        return serials;
    }

    /**
     * Deletes a device none of whose certificates is still valid or on the CRL (never enrolled, or revoked
     * and expired), so that the CRL never loses an entry it must carry; refuses otherwise, saying until when.
     */
    public void delete(String id, String actor) throws Refusal {
        Device device = devices.show(id);
        Instant now = clock.instant();
        Optional<Instant> blockedUntil = registry.certificatesOf(device.id()).stream()
                .filter(certificate -> now.isBefore(certificate.notAfter()))
                .map(IssuedCertificate::notAfter).max(Instant::compareTo);
        if (blockedUntil.isPresent()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " has certificates valid or on the CRL"
                    + " until " + blockedUntil.get() + "; decommission it (`palisade device decommission`) and delete it"
                    + " after that");
        }
        DeviceId deviceId = device.id();
        registry.delete(deviceId);
        behaviours.delete(deviceId); // what detection learned of it, kept for instances it might move to
        events.emit(EventType.DEVICE_DELETED, Severity.MEDIUM, deviceId, actor, "device " + deviceId
                + " deleted from the registry by " + actor + "; its events are kept");
    }
}
