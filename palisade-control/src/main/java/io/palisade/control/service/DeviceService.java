package io.palisade.control.service;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.Names;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registering devices and changing their standing: revoke, quarantine, release. */
public final class DeviceService {

    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(24);
    public static final Duration MAX_TOKEN_TTL = Duration.ofDays(30);
    private static final int TOKEN_ENTROPY_BYTES = 24;

    private final DeviceRegistry registry;
    private final Events events;
    private final OneTimeTokens tokens;
    private final Clock clock;
    private final List<DeviceChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** Told of changes made here only (not of those applied from other instances): the cluster's outbound side. */
    private volatile DeviceChangeListener outbound = (device, change) -> { };

    public DeviceService(DeviceRegistry registry, Events events, OneTimeTokens tokens, Clock clock) {
        this.registry = registry;
        this.events = events;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A device together with the one-time enrollment token that was just made for it. */
    public record Registration(Device device, SecretBytes token, Instant tokenExpiresAt) {
    }

    public void addListener(DeviceChangeListener listener) {
        listeners.add(listener);
    }

    /** Where changes made on this instance go besides the local listeners: the other instances. */
    public void publishChangesTo(DeviceChangeListener outbound) {
        this.outbound = java.util.Objects.requireNonNull(outbound, "outbound");
    }

    /**
     * Another instance changed the device's standing (in the shared store): reads it again and tells the local
     * listeners, so live sessions here act as if the change had been made here. An unknown device is ignored.
     */
    public void changedElsewhere(DeviceId id, DeviceChangeListener.Change change) {
        registry.find(id).ifPresent(device -> {
            for (DeviceChangeListener listener : listeners) {
                listener.deviceChanged(device, change);
            }
        });
    }

    public Registration add(String id, String profile, String segment, Duration tokenTtl) throws Refusal {
        return add(id, profile, segment, java.util.Set.of(), tokenTtl);
    }

    public Registration add(String id, String profile, String segment, java.util.Set<String> tags, Duration tokenTtl)
            throws Refusal {
        return add(id, profile, segment, tags, Optional.empty(), tokenTtl);
    }

    /** With {@code role}: the role its certificates will carry (X.509 extension {@value Device#ROLE_OID}). */
    public Registration add(String id, String profile, String segment, java.util.Set<String> tags,
                            Optional<String> role, Duration tokenTtl) throws Refusal {
        DeviceId deviceId = parseId(id);
        String validProfile = validName("profile", profile);
        String validSegment = validName("segment", segment);
        checkTtl(tokenTtl);
        Instant now = clock.instant();
        Device device;
        try {
            device = new Device(deviceId, validProfile, validSegment, DeviceState.REGISTERED, false, now, now, tags, role);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        SecretBytes token = tokens.newToken(OneTimeTokens.ENROLLMENT_PREFIX, TOKEN_ENTROPY_BYTES);
        EnrollmentToken stored = storedToken(deviceId, token, now.plus(tokenTtl));
        try {
            registry.add(device, stored);
        } catch (DeviceRegistry.DuplicateDeviceException e) {
            token.close();
            throw new Refusal(Refusal.Kind.CONFLICT, e.getMessage());
        }
        return new Registration(device, token, stored.expiresAt());
    }

    /** Adds and removes tags (labels for roll-out targeting); returns the device as stored. */
    public Device tag(String id, java.util.Set<String> add, java.util.Set<String> remove) throws Refusal {
        Device device = require(id);
        java.util.Set<String> tags = new java.util.TreeSet<>(device.tags());
        tags.addAll(add);
        tags.removeAll(remove);
        Device tagged;
        try {
            tagged = device.withTags(tags, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        registry.update(tagged);
        return tagged;
    }

    /** Replaces the enrollment token of a device that has not been revoked (for example when the first expired). */
    public Registration newToken(String id, Duration tokenTtl) throws Refusal {
        Device device = require(id);
        if (device.state() == DeviceState.REVOKED) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " is revoked; register a new id instead");
        }
        checkTtl(tokenTtl);
        Instant now = clock.instant();
        SecretBytes token = tokens.newToken(OneTimeTokens.ENROLLMENT_PREFIX, TOKEN_ENTROPY_BYTES);
        EnrollmentToken stored = storedToken(device.id(), token, now.plus(tokenTtl));
        registry.replaceToken(stored);
        return new Registration(device, token, stored.expiresAt());
    }

    public List<Device> list() {
        return registry.list();
    }

    /** Per device with an unrevoked certificate, when the last of them expires. */
    public java.util.Map<io.palisade.core.device.DeviceId, Instant> certificateExpiries() {
        return registry.certificateExpiries();
    }

    public Device show(String id) throws Refusal {
        return require(id);
    }

    /** Revokes every certificate of the device and ends its identity; returns the revoked serials. */
    public List<String> revoke(String id, String actor, Optional<String> reason) throws Refusal {
        return revoke(id, actor, reason, io.palisade.core.device.RevocationReason.UNSPECIFIED);
    }

    /** As {@link #revoke(String, String, Optional)}, telling relying parties why through the CRL. */
    public List<String> revoke(String id, String actor, Optional<String> reason,
                               io.palisade.core.device.RevocationReason crlReason) throws Refusal {
        Device device = require(id);
        if (device.state() == DeviceState.REVOKED) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " is already revoked");
        }
        List<String> serials = registry.revoke(device.id(), clock.instant(), crlReason);
        Device revoked = registry.find(device.id()).orElseThrow();
        events.emit(events.event(EventType.CERT_REVOKED, Severity.HIGH, device.id(), actor,
                        "device " + device.id() + " revoked (" + crlReason.wireName() + ")"
                                + reason.map(r -> ": " + r).orElse(""))
                .withDetail("serials", String.join(",", serials)));
        notify(revoked, DeviceChangeListener.Change.REVOKED);
        return serials;
    }

    /**
     * Revokes every certificate of the device but keeps the device, which goes back to REGISTERED and can
     * enroll again with a new token (`device token`): what follows a confirmed remote wipe, whose keys are
     * gone. Returns the revoked serials.
     */
    public List<String> revokeCertificates(String id, String actor, String reason) throws Refusal {
        Device device = require(id);
        if (device.state() == DeviceState.REVOKED) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " is already revoked");
        }
        List<String> serials = registry.revokeCertificates(device.id(), clock.instant(),
                io.palisade.core.device.RevocationReason.CESSATION_OF_OPERATION);
        Device registered = registry.find(device.id()).orElseThrow();
        events.emit(events.event(EventType.CERT_REVOKED, Severity.HIGH, device.id(), actor,
                        "certificates of device " + device.id() + " revoked: " + reason
                                + "; it enrolls again with a new token (`palisade device token`)")
                .withDetail("serials", String.join(",", serials)));
        notify(registered, DeviceChangeListener.Change.REVOKED);
        return serials;
    }

    /** Every certificate issued to the device, newest first: the inventory an operator checks. */
    public List<io.palisade.core.device.IssuedCertificate> certificates(String id) throws Refusal {
        return registry.certificatesOf(require(id).id());
    }

    public Device quarantine(String id, String actor, Optional<String> reason) throws Refusal {
        return setQuarantine(id, true, actor, reason);
    }

    public Device release(String id, String actor, Optional<String> reason) throws Refusal {
        return setQuarantine(id, false, actor, reason);
    }

    private Device setQuarantine(String id, boolean quarantined, String actor, Optional<String> reason)
            throws Refusal {
        Device device = require(id);
        if (device.quarantined() == quarantined) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + device.id() + " is "
                    + (quarantined ? "already quarantined" : "not quarantined"));
        }
        Device changed = device.withQuarantined(quarantined, clock.instant());
        registry.update(changed);
        String what = quarantined ? "quarantined" : "released from quarantine";
        events.emit(quarantined ? EventType.DEVICE_QUARANTINED : EventType.DEVICE_RELEASED,
                quarantined ? Severity.HIGH : Severity.INFO, device.id(), actor,
                "device " + device.id() + " " + what + reason.map(r -> ": " + r).orElse(""));
        notify(changed, quarantined ? DeviceChangeListener.Change.QUARANTINED : DeviceChangeListener.Change.RELEASED);
        return changed;
    }

    private void notify(Device device, DeviceChangeListener.Change change) {
        for (DeviceChangeListener listener : listeners) {
            listener.deviceChanged(device, change);
        }
        outbound.deviceChanged(device, change);
    }

    private Device require(String id) throws Refusal {
        DeviceId deviceId = parseId(id);
        return registry.find(deviceId).orElseThrow(() ->
                new Refusal(Refusal.Kind.NOT_FOUND, "no device with id " + deviceId + " is registered"));
    }

    private EnrollmentToken storedToken(DeviceId id, SecretBytes token, Instant expiresAt) {
        byte[] salt = tokens.newSalt();
        return new EnrollmentToken(id, salt, OneTimeTokens.hash(salt, token), expiresAt, Optional.empty());
    }

    private static DeviceId parseId(String id) throws Refusal {
        try {
            return DeviceId.of(id);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static String validName(String kind, String name) throws Refusal {
        try {
            return Names.requireValid(kind, name);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static void checkTtl(Duration ttl) throws Refusal {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw new Refusal(Refusal.Kind.MALFORMED, "token lifetime must be positive and at most "
                    + MAX_TOKEN_TTL.toDays() + " days, got " + ttl);
        }
    }
}
