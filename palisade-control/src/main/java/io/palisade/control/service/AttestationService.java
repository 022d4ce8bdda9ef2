package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.pki.Pem;
import io.palisade.pki.tpm.QuoteCheck;
import io.palisade.store.SqlAttestationStore;
import java.io.IOException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remote attestation of devices whose profile has expected PCR values ({@code palisade attest expect}): when such
 * a device connects (its {@code auth.succeeded}), or when an operator asks, it gets a fresh 32-byte nonce on its
 * management channel and must answer with a quote by its TPM's attestation key within {@link #DEADLINE}. A quote
 * that passes {@link QuoteCheck} is {@code attestation.passed}; a missing, forged, stale or wrong one is
 * {@code attestation.failed} and the device is quarantined with the reason. The attestation key is pinned at a
 * device's first quote (trust on first use, right after enrollment: see the README on what an EK certificate
 * would add) and any other key later is refused.
 *
 * <p>Events arrive on gateway threads: they are only queued there; {@link #tick}, run every second by the control
 * plane's sweeper, sends the challenges and fails overdue ones.
 */
public final class AttestationService {

    /** Set when other instances share the broker (their quotes arrive here too). */
    private volatile boolean otherInstancesAsk;

    public static final Duration DEADLINE = Duration.ofSeconds(30);
    static final int MAX_QUOTE_BYTES = 8192;
    private static final String ACTOR = "attestation";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(AttestationService.class.getName());

    private record Pending(byte[] nonce, Instant deadline, String reason) {
    }

    private final SqlAttestationStore store;
    private final DeviceRegistry registry;
    private final DeviceService devices;
    private final FleetChannel fleet;
    private final Events events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<DeviceId, Pending> pending = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<DeviceId> connected = new ConcurrentLinkedQueue<>();

    public AttestationService(SqlAttestationStore store, DeviceRegistry registry, DeviceService devices,
                              FleetChannel fleet, Events events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.devices = devices;
        this.fleet = fleet;
        this.events = events;
        this.clock = clock;
    }

    public void listen() {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.ATTEST_QUOTE), this::onQuote);
    }

    /** A bus subscriber: a device that just authenticated is queued for a challenge (never blocks). */
    public void onEvent(SecurityEvent event) {
        if (event.type() == EventType.AUTH_SUCCEEDED && event.device().isPresent()) {
            connected.add(event.device().get());
        }
    }

    /** Sets the PCR values the devices of {@code profile} may quote (any one of each PCR's values). */
    public void expect(String profile, Map<Integer, List<byte[]>> pcrs, String source) throws Refusal {
        if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + profile + "' is not a profile name");
        }
        if (pcrs.isEmpty()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "expected values need at least one PCR");
        }
        for (Map.Entry<Integer, List<byte[]>> pcr : pcrs.entrySet()) {
            if (pcr.getKey() < 0 || pcr.getKey() > 23 || pcr.getValue().isEmpty()
                    || pcr.getValue().stream().anyMatch(value -> value.length != 32)) {
                throw new Refusal(Refusal.Kind.MALFORMED, "PCR " + pcr.getKey() + " needs an index 0 to 23 and a"
                        + " SHA-256 value of 64 hex digits");
            }
        }
        store.expect(profile, pcrs, source.length() > 200 ? source.substring(0, 200) : source, clock.instant());
    }

    public Optional<SqlAttestationStore.Expectation> expectation(String profile) {
        return store.expectation(profile);
    }

    public boolean clear(String profile) {
        return store.clear(profile);
    }

    /** Challenges {@code id} now (an operator's request); answers the deadline. */
    public Instant challenge(String id, String reason) throws Refusal {
        Device device = devices.show(id);
        if (store.expectation(device.profile()).isEmpty()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "profile " + device.profile() + " of device " + id
                    + " has no expected PCR values (palisade attest expect " + device.profile() + " ...)");
        }
        return send(device, reason);
    }

    private Instant send(Device device, String reason) {
        SqlAttestationStore.Expectation expected = store.expectation(device.profile()).orElseThrow();
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        Instant deadline = clock.instant().plus(DEADLINE);
        pending.put(device.id(), new Pending(nonce, deadline, reason));
        var challenge = JSON.createObjectNode().put("nonce", HexFormat.of().formatHex(nonce));
        expected.pcrs().keySet().forEach(challenge.putArray("pcrs")::add);
        // Retained until answered: a device that has just connected may not have subscribed yet.
        fleet.publish(FleetTopics.attestChallenge(device.id()), challenge.toString().getBytes(), true);
        return deadline;
    }

    /** Challenges the devices that connected since the last tick, and fails those whose time ran out. */
    public void tick() {
        try {
            DeviceId next;
            while ((next = connected.poll()) != null) {
                Optional<Device> device = registry.find(next);
                if (device.isPresent() && store.expectation(device.get().profile()).isPresent()) {
                    send(device.get(), "connect");
                }
            }
            sweep();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "attestation: " + e.getMessage());
        }
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<DeviceId, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<DeviceId, Pending> entry = it.next();
            if (now.isAfter(entry.getValue().deadline())) {
                it.remove();
                withdraw(entry.getKey());
                fail(entry.getKey(), "no quote within " + DEADLINE.toSeconds() + " s of the challenge (at "
                        + entry.getValue().reason() + ")");
            }
        }
    }

    /**
     * Several instances share the broker: each challenges the devices connected to it and hears every quote, so a
     * quote this instance did not ask for is another's, not a violation.
     */
    public void shareBrokerWithOtherInstances() {
        otherInstancesAsk = true;
    }

    void onQuote(String topic, byte[] payload) {
        Optional<DeviceId> device = FleetTopics.deviceOf(topic);
        if (device.isEmpty()) {
            return;
        }
        if (!pending.containsKey(device.get())) {
            if (otherInstancesAsk) {
                return; // one of the other instances on this broker asked for it, and checks it
            }
            // Anyone who can publish on the broker can send this: it names no device.
            events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, null, "broker:" + topic,
                    "a quote on " + topic + " that no challenge asked for");
            return;
        }
        answer(device.get(), payload);
    }

    /**
     * The device side of enrollment ({@code POST /attest/challenge} with the new certificate): a challenge at once,
     * so the attestation key is pinned and the boot checked before the device ever connects.
     */
    public Map<String, Object> challengeAtEnrollment(DeviceId id) throws Refusal {
        Device device = devices.show(id.value());
        if (store.expectation(device.profile()).isEmpty()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "profile " + device.profile() + " has no expected PCR values:"
                    + " nothing to attest");
        }
        send(device, "enrollment");
        Pending challenge = pending.get(id);
        return Map.of("nonce", HexFormat.of().formatHex(challenge.nonce()),
                "pcrs", List.copyOf(store.expectation(device.profile()).orElseThrow().pcrs().keySet()),
                "deadline", challenge.deadline().toString());
    }

    /**
     * Checks {@code payload} against the device's outstanding challenge (which it uses up): the outcome is recorded
     * either way, a failure quarantines the device; answers the reason of a failure, empty when it passed.
     */
    public Optional<String> answer(DeviceId device, byte[] payload) {
        Pending challenge = pending.remove(device);
        if (challenge == null) {
            return Optional.of("no challenge is open for device " + device);
        }
        withdraw(device);
        try {
            if (payload.length > MAX_QUOTE_BYTES) {
                throw new QuoteCheck.Refused("a quote message of " + payload.length + " bytes");
            }
            JsonNode body = JSON.readTree(payload);
            Device known = registry.find(device).orElseThrow(() -> new QuoteCheck.Refused("unknown device"));
            SqlAttestationStore.Expectation expected = store.expectation(known.profile()).orElseThrow(() ->
                    new QuoteCheck.Refused("profile " + known.profile() + " no longer has expected values"));
            PublicKey key = attestationKey(device, body);
            Map<Integer, byte[]> reported = new HashMap<>();
            body.path("pcrs").fields().forEachRemaining(pcr -> reported.put(Integer.parseInt(pcr.getKey()),
                    HexFormat.of().parseHex(pcr.getValue().asText())));
            QuoteCheck.check(Base64.getDecoder().decode(body.path("quote").asText()),
                    Base64.getDecoder().decode(body.path("signature").asText()), key, challenge.nonce(), reported,
                    expected.pcrs());
            Map<String, String> details = new HashMap<>();
            expected.pcrs().keySet().forEach(pcr -> details.put("pcr" + pcr, HexFormat.of().formatHex(reported.get(pcr))));
            details.put("source", expected.source());
            details.put("at", challenge.reason());
            events.emit(events.event(EventType.ATTESTATION_PASSED, Severity.INFO, device, ACTOR, "device "
                    + device + " attested its boot: its TPM quoted the expected PCR values of profile "
                    + known.profile() + " (" + expected.source() + ")").withDetails(details));
            return Optional.empty();
        } catch (QuoteCheck.Refused e) {
            fail(device, e.getMessage());
            return Optional.of(e.getMessage());
        } catch (IOException | IllegalArgumentException | java.util.NoSuchElementException e) {
            fail(device, "malformed quote message: " + e.getMessage());
            return Optional.of("malformed quote message: " + e.getMessage());
        }
    }

    /** Clears the retained challenge, so a device that connects later is not asked an old question. */
    private void withdraw(DeviceId device) {
        fleet.publish(FleetTopics.attestChallenge(device), new byte[0], true);
    }

    private PublicKey attestationKey(DeviceId device, JsonNode body) throws QuoteCheck.Refused, IOException {
        Optional<byte[]> pinned = store.key(device);
        if (pinned.isPresent()) {
            PublicKey key = Pem.parsePublicKey(Pem.encode(decodeSpki(pinned.get())), "pinned attestation key");
            if (body.path("ak").isTextual()) {
                PublicKey offered = Pem.parsePublicKey(body.path("ak").asText(), "attestation key");
                if (!Arrays.equals(offered.getEncoded(), key.getEncoded())) {
                    throw new QuoteCheck.Refused("the quote comes with an attestation key other than the one pinned"
                            + " for this device (a replaced TPM? re-enroll it)");
                }
            }
            return key;
        }
        if (!body.path("ak").isTextual()) {
            throw new QuoteCheck.Refused("no attestation key pinned for this device and none sent");
        }
        PublicKey offered = Pem.parsePublicKey(body.path("ak").asText(), "attestation key");
        store.pinKey(device, offered.getEncoded(), clock.instant());
        return offered;
    }

    private static PublicKey decodeSpki(byte[] spki) throws IOException {
        try {
            return java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the pinned attestation key cannot be read: " + e.getMessage(), e);
        }
    }

    private void fail(DeviceId device, String reason) {
        events.emit(events.event(EventType.ATTESTATION_FAILED, Severity.HIGH, device, ACTOR, "device " + device
                + " failed attestation: " + reason).withDetail("reason", reason));
        try {
            if (!devices.show(device.value()).quarantined()) {
                devices.quarantine(device.value(), ACTOR, Optional.of("attestation failed: " + reason));
            }
        } catch (Refusal e) {
            LOG.log(System.Logger.Level.ERROR, "could not quarantine " + device + " after a failed attestation: "
                    + e.getMessage());
        }
    }
}
