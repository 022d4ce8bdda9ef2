package io.palisade.legacy.overlay;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.overlay.OverlayAccess;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;
import io.palisade.core.overlay.OverlayStore;
import io.palisade.pki.DeviceAuthenticator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Decides one tunnel request: the certificate must belong to a registered, unrevoked device (the same check as every
 * device-facing listener), then {@link OverlayAccess} rules on the grant and the health of both ends. Reads the
 * registry and the store, so it runs off the I/O threads.
 */
final class TunnelAdmission {

    /** Who the client proved to be, if anyone, and the tunnel it may open, or why not. */
    record Result(Optional<Device> subject, Optional<DeviceId> claimed, Optional<OverlayGrant> grant,
                  Optional<OverlayHost> host, String reason) {

        boolean allowed() {
            return grant.isPresent();
        }
    }

    private final DeviceRegistry registry;
    private final OverlayStore store;
    private final OverlayAccess access;
    private final Clock clock;

    TunnelAdmission(DeviceRegistry registry, OverlayStore store, OverlayAccess access, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    Result admit(List<X509Certificate> chain, ConnectRequest request) {
        DeviceAuthenticator.Result authenticated = new DeviceAuthenticator(registry).authenticate(chain);
        if (authenticated.device().isEmpty()) {
            return new Result(Optional.empty(), authenticated.claimed(), Optional.empty(), Optional.empty(),
                    authenticated.reason());
        }
        Device subject = authenticated.device().get();
        OverlayAccess.Decision decision = access.decide(subject, request.device(), registry.find(request.device()),
                store.host(request.device()), store.grants(subject.id(), request.device()), request.port(),
                clock.instant());
        return new Result(Optional.of(subject), Optional.of(subject.id()), decision.grant(), decision.host(),
                decision.reason());
    }
}
