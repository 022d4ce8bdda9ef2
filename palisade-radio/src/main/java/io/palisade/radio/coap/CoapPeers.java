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
 * is the device id; a raw public key is the device it is registered to; a certificate goes through the same
 * {@link DeviceAuthenticator} as every device port). The answer
 * is kept for {@value #KEEP_SECONDS} s, and forgotten at once when the device's standing changes
 * ({@link #forget}, told by the registry's change listeners), so a quarantine or revocation applies to the next request
 * while a busy device does not cost a store read per request.
 */
final class CoapPeers {

    static final long KEEP_SECONDS = 10;
    private static final int MAX_KEPT = 100_000;

    private record Kept(Peer peer, long until) {
    }

    private final java.util.Map<String, Kept> kept = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.function.LongSupplier nanoTime;

    /** A device, or why the peer is none. */
    record Peer(Optional<Device> device, Optional<DeviceId> claimed, String reason) {
    }

    private final DeviceRegistry registry;
    private final io.palisade.core.device.DevicePublicKeys publicKeys;

    CoapPeers(DeviceRegistry registry, io.palisade.core.device.DevicePublicKeys publicKeys,
              java.util.function.LongSupplier nanoTime) {
        this.registry = registry;
        this.publicKeys = publicKeys;
        this.nanoTime = nanoTime;
    }

    /** Forgets what was kept about the device (its standing changed). */
    void forget(DeviceId device) {
        kept.values().removeIf(entry -> entry.peer().claimed().filter(device::equals).isPresent());
    }

    Peer identify(Principal identity) {
        String key = key(identity);
        long now = nanoTime.getAsLong();
        Kept known = kept.get(key);
        if (known != null && now - known.until() < 0) {
            return known.peer();
        }
        Peer peer = lookUp(identity);
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        kept.put(key, new Kept(peer, now + java.util.concurrent.TimeUnit.SECONDS.toNanos(KEEP_SECONDS)));
        return peer;
    }

    /** What a kept answer is filed under: the PSK identity, or the leaf certificate's serial (not its name, which a
     * renewed certificate shares with a revoked one). */
    private static String key(Principal identity) {
        if (identity instanceof X509CertPath path && !path.getPath().getCertificates().isEmpty()) {
            return "x509:" + ((X509Certificate) path.getPath().getCertificates().get(0)).getSerialNumber().toString(16);
        }
        return identity == null ? "" : identity.getClass().getSimpleName() + ":" + identity.getName();
    }

    private Peer lookUp(Principal identity) {
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
        if (identity instanceof org.eclipse.californium.elements.auth.RawPublicKeyIdentity rpk) {
            Optional<DeviceId> id = publicKeys.deviceOf(rpk.getKey().getEncoded());
            if (id.isEmpty()) {
                return new Peer(Optional.empty(), Optional.empty(), "the raw public key is registered to no device");
            }
            Optional<Device> device = registry.find(id.get());
            if (device.isEmpty() || device.get().state() == DeviceState.REVOKED) {
                return new Peer(Optional.empty(), id, "device " + id.get() + (device.isEmpty() ? " is not registered"
                        : " is revoked"));
            }
            return new Peer(device, id, "");
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
