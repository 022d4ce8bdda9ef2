package io.palisade.core.overlay;

import io.palisade.core.device.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's permission for one enrolled system or operator ({@code subject}, whom its certificate names) to open
 * tunnels to one port of one legacy host ({@code device}) until {@code expires}, unless revoked first. Grants are never
 * edited: a change is a revocation and a new grant, so the record of who could reach what, when and why stays whole.
 */
public record OverlayGrant(String id, OverlaySubject subject, DeviceId device, int port, Instant granted, Instant expires,
                           String reason, String grantedBy, Optional<Instant> revoked, Optional<String> revokedBy) {

    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    /** A grant is for a piece of work, not standing access: renew it rather than make it long. */
    public static final Duration MAX_TTL = Duration.ofDays(7);
    public static final int MAX_REASON_LENGTH = 500;

    public OverlayGrant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(device, "device");
        requirePort(port);
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(grantedBy, "grantedBy");
        Objects.requireNonNull(revoked, "revoked");
        Objects.requireNonNull(revokedBy, "revokedBy");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a grant needs a reason (what the access is for)");
        }
        if (reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the reason must be one line of at most " + MAX_REASON_LENGTH
                    + " characters");
        }
        if (subject.deviceId().filter(device::equals).isPresent()) {
            throw new IllegalArgumentException("a device cannot be granted a tunnel to itself");
        }
    }

    /** A new grant for {@code ttl} from {@code now}. */
    public static OverlayGrant issue(String id, OverlaySubject subject, DeviceId device, int port, Duration ttl,
                                     String reason, String grantedBy, Instant now) {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a grant lasts between " + MIN_TTL.toMinutes() + " minute and "
                    + MAX_TTL.toDays() + " days, not " + ttl);
        }
        return new OverlayGrant(id, subject, device, port, now, now.plus(ttl), reason, grantedBy, Optional.empty(),
                Optional.empty());
    }

    public OverlayGrant revokedAt(Instant at, String actor) {
        return new OverlayGrant(id, subject, device, port, granted, expires, reason, grantedBy, Optional.of(at),
                Optional.of(actor));
    }

    /** Not revoked, and not yet expired at {@code now}. */
    public boolean activeAt(Instant now) {
        return revoked.isEmpty() && now.isBefore(expires);
    }

    /** Whether this grant lets {@code subject} reach {@code port} of {@code device}. */
    public boolean covers(OverlaySubject who, DeviceId target, int targetPort) {
        return subject.equals(who) && device.equals(target) && port == targetPort;
    }

    static void requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port is between 1 and 65535, not " + port);
        }
    }
}
