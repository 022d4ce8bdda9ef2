package io.palisade.core.overlay;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides one tunnel request, as a TNC policy decision point would: the client's proven identity, a grant that covers
 * the host and port, and the health of both ends. Deny unless all hold; the reason names what failed.
 */
public final class OverlayAccess {

    /** Allowed (with the grant that allows it and the host to connect to), or refused with the reason. */
    public record Decision(Optional<OverlayGrant> grant, Optional<OverlayHost> host, String reason) {

        public boolean allowed() {
            return grant.isPresent();
        }

        static Decision refused(String reason) {
            return new Decision(Optional.empty(), Optional.empty(), reason);
        }
    }

    private final Predicate<String> segmentQuarantined;

    public OverlayAccess(Predicate<String> segmentQuarantined) {
        this.segmentQuarantined = segmentQuarantined;
    }

    /**
     * @param subject       whom the client's certificate proved (already authenticated: a registered, unrevoked device
     *                      or an existing operator)
     * @param subjectDevice the subject's registry entry, for a device subject (its health counts)
     * @param target        the legacy host's device, when registered
     * @param host          its overlay address, when one is set
     * @param grants        the subject's grants for the target
     */
    public Decision decide(OverlaySubject subject, Optional<Device> subjectDevice, DeviceId targetId,
                           Optional<Device> target, Optional<OverlayHost> host, List<OverlayGrant> grants, int port,
                           Instant now) {
        if (subject.kind() == OverlaySubject.Kind.DEVICE) {
            if (subjectDevice.isEmpty()) {
                return Decision.refused("there is no device " + subject);
            }
            Optional<String> unhealthy = unhealthy(subjectDevice.get(), "the client");
            if (unhealthy.isPresent()) {
                return Decision.refused(unhealthy.get());
            }
        }
        if (target.isEmpty()) {
            return Decision.refused("there is no device " + targetId);
        }
        Optional<String> unhealthy = unhealthy(target.get(), "the host");
        if (unhealthy.isPresent()) {
            return Decision.refused(unhealthy.get());
        }
        Optional<OverlayGrant> grant = grants.stream()
                .filter(g -> g.covers(subject, targetId, port) && g.activeAt(now))
                .max(Comparator.comparing(OverlayGrant::expires));
        if (grant.isEmpty()) {
            boolean lapsed = grants.stream().anyMatch(g -> g.covers(subject, targetId, port));
            return Decision.refused(subject + " has no " + (lapsed ? "active " : "") + "grant for " + targetId
                    + ":" + port + (lapsed ? " (its grants expired or were revoked)" : ""));
        }
        if (host.isEmpty()) {
            return Decision.refused("device " + targetId + " has no overlay address (palisade overlay host set)");
        }
        return new Decision(grant, host, "");
    }

    /** Why a device may not be an end of a tunnel now, if it may not. */
    public Optional<String> unhealthy(Device device, String end) {
        if (device.state() == DeviceState.REVOKED) {
            return Optional.of(end + " " + device.id() + " is revoked");
        }
        if (device.quarantined()) {
            return Optional.of(end + " " + device.id() + " is quarantined");
        }
        if (segmentQuarantined.test(device.segment())) {
            return Optional.of(end + " " + device.id() + "'s segment " + device.segment() + " is quarantined");
        }
        return Optional.empty();
    }
}
