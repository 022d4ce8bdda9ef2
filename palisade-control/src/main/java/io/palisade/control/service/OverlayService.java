package io.palisade.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayHost;
import io.palisade.core.overlay.OverlayStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The isolation overlay as operators change it: legacy hosts' addresses and grants of tunnels to them. A grant is
 * stored before it is answered; a revocation is stored and then told to the tunnel listener(s), which cut the tunnels
 * it carried at once. Each change is an {@code admin.change} event with the state before and after.
 */
public final class OverlayService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OverlayStore store;
    private final DeviceRegistry registry;
    private final Events events;
    private final Clock clock;
    private final List<Consumer<OverlayGrant>> revocationListeners = new CopyOnWriteArrayList<>();
    private final io.palisade.core.operator.OperatorStore operators;
    private final io.palisade.pki.ca.CertificateAuthority ca;

    public OverlayService(OverlayStore store, DeviceRegistry registry, io.palisade.core.operator.OperatorStore operators,
                          io.palisade.pki.ca.CertificateAuthority ca, Events events, Clock clock) {
        this.operators = operators;
        this.ca = ca;
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /** The store the tunnel listener decides from. */
    public OverlayStore store() {
        return store;
    }

    /** Told of every revoked grant, after it is stored. */
    public void onRevoked(Consumer<OverlayGrant> listener) {
        revocationListeners.add(listener);
    }

    public OverlayGrant grant(String subject, String device, int port, Duration ttl, String reason, String actor)
            throws Refusal {
        io.palisade.core.overlay.OverlaySubject who;
        try {
            who = io.palisade.core.overlay.OverlaySubject.parse(subject);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the subject: " + e.getMessage());
        }
        if (who.kind() == io.palisade.core.overlay.OverlaySubject.Kind.DEVICE) {
            registered(subject, "subject");
        } else if (!operatorExists(who.name())) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no operator " + who.name());
        }
        DeviceId deviceId = registered(device, "host");
        if (store.host(deviceId).isEmpty()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + deviceId + " has no overlay address; set one first"
                    + " (palisade overlay host set " + deviceId + " ADDRESS)");
        }
        OverlayGrant grant;
        try {
            grant = OverlayGrant.issue("g-" + HexFormat.of().formatHex(randomBytes()), who, deviceId, port, ttl, reason, actor, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        store.add(grant);
        events.change(actor, "overlay-grant", grant.id(), "none", toJson(grant).toString());
        return grant;
    }

    public OverlayGrant revoke(String id, String actor) throws Refusal {
        OverlayGrant revoked = store.revoke(id, clock.instant(), actor).orElseThrow(() -> new Refusal(
                Refusal.Kind.NOT_FOUND, "there is no unrevoked overlay grant '" + id + "'"));
        revocationListeners.forEach(listener -> listener.accept(revoked));
        events.change(actor, "overlay-grant", id, "active", toJson(revoked).toString());
        return revoked;
    }

    /** Told of every operator removed: their tunnels end. */
    public void onOperatorRemoved(Consumer<String> listener) {
        operatorRemovalListeners.add(listener);
    }

    /** An operator was removed (wired to the operator service): tell the tunnel listener(s). */
    public void operatorRemoved(String name) {
        operatorRemovalListeners.forEach(listener -> listener.accept(name));
    }

    private final List<Consumer<String>> operatorRemovalListeners = new CopyOnWriteArrayList<>();

    /** Whether an operator of that name exists (an operator subject's health: a removed operator gets no tunnel). */
    public boolean operatorExists(String name) {
        return operators.find(name).isPresent();
    }

    /**
     * A short-lived tunnel certificate for an operator (the caller, authenticated by the API) for the key of
     * {@code csr} (PKCS#10, P-256, proof of possession checked), recorded as a {@code cert.issued} event. The chain
     * returned ends with the root.
     */
    public List<java.security.cert.X509Certificate> operatorCertificate(String operator, byte[] csr, String source)
            throws Refusal {
        if (operator.isEmpty() || !operatorExists(operator)) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "tunnel certificates are for operators: sign in as one"
                    + " (palisade operator login), not with the admin token");
        }
        io.palisade.pki.est.CertificateRequest request;
        try {
            request = io.palisade.pki.est.CsrParser.parse(csr);
        } catch (io.palisade.pki.est.CsrRejectedException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "bad certificate request: " + e.getMessage());
        }
        java.security.cert.X509Certificate certificate = ca.issueOperator(operator, request.publicKey());
        events.emit(events.event(io.palisade.core.event.EventType.CERT_ISSUED, io.palisade.core.event.Severity.INFO,
                null, source, "tunnel certificate issued to operator " + operator + ", valid until "
                        + certificate.getNotAfter().toInstant()).withDetails(java.util.Map.of("operator", operator,
                "serial", io.palisade.pki.ca.CertificateAuthority.serialHex(certificate), "purpose", "overlay",
                "expires", certificate.getNotAfter().toInstant().toString())));
        List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>(List.of(certificate));
        chain.addAll(ca.chain());
        return chain;
    }

    /** Grants newest first; with {@code all} false only those active now. */
    public List<OverlayGrant> grants(boolean all) {
        return store.grants().stream().filter(grant -> all || grant.activeAt(clock.instant())).toList();
    }

    public OverlayHost putHost(String device, String address, List<Integer> modbusPorts, String actor) throws Refusal {
        DeviceId id = registered(device, "host");
        OverlayHost host;
        try {
            host = new OverlayHost(id, address, new java.util.TreeSet<>(modbusPorts));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        String before = store.host(id).map(h -> toJson(h).toString()).orElse("none");
        store.putHost(host, clock.instant());
        events.change(actor, "overlay-host", id.value(), before, toJson(host).toString());
        return host;
    }

    public void deleteHost(String device, String actor) throws Refusal {
        DeviceId id = validId(device, "host");
        java.util.Optional<OverlayHost> before = store.host(id);
        if (before.isEmpty() || !store.deleteHost(id)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "device " + id + " has no overlay address");
        }
        events.change(actor, "overlay-host", id.value(), toJson(before.get()).toString(), "none");
    }

    public List<OverlayHost> hosts() {
        return store.hosts();
    }

    public static ObjectNode toJson(OverlayGrant grant) {
        ObjectNode node = JSON.createObjectNode().put("id", grant.id()).put("subject", grant.subject().toString())
                .put("device", grant.device().value()).put("port", grant.port())
                .put("granted", grant.granted().toString()).put("expires", grant.expires().toString())
                .put("reason", grant.reason()).put("granted_by", grant.grantedBy());
        grant.revoked().ifPresent(at -> node.put("revoked", at.toString()));
        grant.revokedBy().ifPresent(by -> node.put("revoked_by", by));
        return node;
    }

    public static ObjectNode toJson(OverlayHost host) {
        ObjectNode node = JSON.createObjectNode().put("device", host.device().value()).put("address", host.address());
        host.modbusPorts().forEach(node.putArray("modbus_ports")::add);
        return node;
    }

    private DeviceId registered(String device, String what) throws Refusal {
        DeviceId id = validId(device, what);
        if (registry.find(id).isEmpty()) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no device " + id + " (the " + what
                    + " must be a registered device)");
        }
        return id;
    }

    private static DeviceId validId(String device, String what) throws Refusal {
        if (device == null || !DeviceId.isValid(device)) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the " + what + " must be a device id, not '" + device + "'");
        }
        return DeviceId.of(device);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
