package io.palisade.radio.coap;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.pki.DeviceAuthenticator;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;

/**
 * Who sent a CoAP request: the device the DTLS session proved, read from the session's peer identity (a PSK identity
 * is the device id; a certificate goes through the same {@link DeviceAuthenticator} as every device port). Looked up
 * at each request, so a revocation applies at once (its sessions keep the key, not the right).
 */
final class CoapPeers {

    /** A device, or why the peer is none. */
    record Peer(Optional<Device> device, Optional<DeviceId> claimed, String reason) {
    }

    private final DeviceRegistry registry;

    CoapPeers(DeviceRegistry registry) {
        this.registry = registry;
    }

    Peer identify(Principal identity) {
        if (identity instanceof PreSharedKeyIdentity psk) {
            String id = psk.getIdentity();
            if (!DeviceId.isValid(id)) {
                return new Peer(Optional.empty(), Optional.empty(), "PSK identity '" + id + "' is not a device id");
            }
            Optional<Device> device = registry.find(DeviceId.of(id));
            if (device.isEmpty() || device.get().state() == DeviceState.REVOKED) {
                return new Peer(Optional.empty(), Optional.of(DeviceId.of(id)), "device " + id
                        + (device.isEmpty() ? " is not registered" : " is revoked"));
            }
            return new Peer(device, Optional.of(DeviceId.of(id)), "");
        }
        if (identity instanceof X509CertPath path) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : path.getPath().getCertificates()) {
                chain.add((X509Certificate) certificate);
            }
            DeviceAuthenticator.Result result = new DeviceAuthenticator(registry).authenticate(chain);
            return new Peer(result.device(), result.claimed(), result.reason());
        }
        return new Peer(Optional.empty(), Optional.empty(), identity == null ? "no DTLS identity"
                : "a " + identity.getClass().getSimpleName() + " is not a device identity");
    }
}
