package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DevicePublicKeys;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.store.SqlRpkStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Devices' raw public keys for CoAP over DTLS (RFC 7250): an EC P-256 key given as a PEM {@code PUBLIC KEY} or taken
 * from a PEM certificate (the device's own, say), registered to one device; the same key cannot belong to two. A
 * device then handshakes with the key alone, no certificate on the air. Each change is an {@code admin.change} event
 * (with the key's SHA-256).
 */
public final class RpkService implements DevicePublicKeys {

    private final SqlRpkStore store;
    private final DeviceRegistry registry;
    private final Events events;
    private final Clock clock;

    public RpkService(SqlRpkStore store, DeviceRegistry registry, Events events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /** Registers {@code pem} as the device's key; answers its SHA-256 (hex). */
    public String register(String device, String pem, String actor) throws Refusal {
        DeviceId id = RegisteredDevices.unrevoked(registry, device).id();
        PublicKey key = parse(pem);
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a raw public key here is EC P-256 (what DTLS ECDHE-ECDSA"
                    + " suites use), not " + key.getAlgorithm());
        }
        byte[] spki = key.getEncoded();
        Optional<DeviceId> holder = store.deviceOf(spki);
        if (holder.isPresent() && !holder.get().equals(id)) {
            throw new Refusal(Refusal.Kind.CONFLICT, "that key is device " + holder.get() + "'s");
        }
        boolean replaced = store.put(id, spki, clock.instant());
        String hash = SqlRpkStore.hash(spki);
        events.change(actor, "device-rpk", id.value(), replaced ? "a key" : "none", "SHA-256 " + hash);
        return hash;
    }

    @Override
    public Optional<DeviceId> deviceOf(byte[] subjectPublicKeyInfo) {
        return store.deviceOf(subjectPublicKeyInfo);
    }

    private static PublicKey parse(String pem) throws Refusal {
        String text = pem == null ? "" : pem.strip();
        try {
            if (text.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                        text.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            }
            if (text.contains("BEGIN PUBLIC KEY")) {
                String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                        .decode(base64)));
            }
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "not a readable public key or certificate: " + e.getMessage());
        }
        throw new Refusal(Refusal.Kind.MALFORMED, "give a PEM PUBLIC KEY or CERTIFICATE");
    }
}
