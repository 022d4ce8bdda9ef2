package io.palisade.legacy.overlay;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.overlay.OverlayAccess;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;
import io.palisade.core.overlay.OverlayStore;
import io.palisade.core.overlay.OverlaySubject;
import io.palisade.pki.OperatorIdentity;
import io.palisade.pki.DeviceAuthenticator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides one tunnel request: the certificate must be an operator's tunnel certificate for an operator who still exists,
 * or belong to a registered, unrevoked device (the same check as every device-facing listener); then
 * {@link OverlayAccess} rules on the grant and the health of both ends. Reads the registry and the store, so it runs
 * off the I/O threads.
 */
final class TunnelAdmission {

    /** Who the client proved to be, if anyone, and the tunnel it may open, or why not. */
    record Result(Optional<OverlaySubject> subject, Optional<DeviceId> claimed, Optional<OverlayGrant> grant,
                  Optional<OverlayHost> host, String reason) {

        boolean allowed() {
            return grant.isPresent();
        }
    }

    private final DeviceRegistry registry;
    private final OverlayStore store;
    private final OverlayAccess access;
    private final Clock clock;
    private final Predicate<String> operatorExists;

    TunnelAdmission(DeviceRegistry registry, OverlayStore store, OverlayAccess access, Predicate<String> operatorExists,
                    Clock clock) {
        this.operatorExists = operatorExists;
        this.registry = registry;
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    Result admit(List<X509Certificate> chain, ConnectRequest request) {
        Optional<String> operator = chain.isEmpty() ? Optional.empty() : OperatorIdentity.of(chain.get(0));
        OverlaySubject subject;
        Optional<Device> subjectDevice = Optional.empty();
        if (operator.isPresent()) {
            if (!operatorExists.test(operator.get())) {
                return refused(Optional.empty(), "operator " + operator.get() + " does not exist (any more)");
            }
            subject = OverlaySubject.operator(operator.get());
        } else {
            DeviceAuthenticator.Result authenticated = new DeviceAuthenticator(registry).authenticate(chain);
            if (authenticated.device().isEmpty()) {
                return refused(authenticated.claimed(), authenticated.reason());
            }
            subjectDevice = authenticated.device();
            subject = OverlaySubject.device(subjectDevice.get().id());
        }
        OverlayAccess.Decision decision = access.decide(subject, subjectDevice, request.device(),
                registry.find(request.device()), store.host(request.device()), store.grants(subject, request.device()),
                request.port(), clock.instant());
        return new Result(Optional.of(subject), subject.deviceId(), decision.grant(), decision.host(),
                decision.reason());
    }

    private static Result refused(Optional<DeviceId> claimed, String reason) {
        return new Result(Optional.empty(), claimed, Optional.empty(), Optional.empty(), reason);
    }
}
