package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.rfid.RfidToken;
import io.palisade.core.secret.SecretBytes;
import io.palisade.core.secret.SecretSealer;
import io.palisade.store.SqlRfidStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Custody of RFID tags' Gen2 kill and access passwords (32 bits each), sealed under their record's own key in the
 * vault, so they go with the record when it is erased or rotated (a rewritten tag gets passwords of its own). An
 * operator releases one password to one reader for one operation, with a reason, for {@link #RELEASE_VALIDITY}; the
 * reader, proven by its device certificate, claims it once. Each claim is an {@code rfid.lookup} event.
 */
public final class TagPasswords {

    private final RfidVault vault;
    private final SqlRfidStore store;
    private final DeviceRegistry registry;
    private final Events events;
    private final Clock clock;

    public TagPasswords(RfidVault vault, SqlRfidStore store, DeviceRegistry registry, Events events, Clock clock) {
        this.vault = vault;
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /** How long a released tag password may be claimed. */
    public static final Duration RELEASE_VALIDITY = Duration.ofMinutes(10);

    /**
     * Keeps a tag's kill and access passwords (32 bits each, 8 hex digits), sealed under the record's own key: they
     * go with the record when it is erased or rotated (a rewritten tag gets passwords of its own).
     */
    public void setPasswords(String tokenText, Optional<String> kill, Optional<String> access, String actor)
            throws Refusal {
        RfidToken token = RfidVault.token(tokenText);
        if (kill.isEmpty() && access.isEmpty()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "give a kill password, an access password or both");
        }
        StringBuilder text = new StringBuilder();
        for (var entry : Map.of("kill", kill, "access", access).entrySet()) {
            if (entry.getValue().isPresent()) {
                String value = entry.getValue().get().strip();
                if (!value.matches("[0-9A-Fa-f]{8}")) {
                    throw new Refusal(Refusal.Kind.MALFORMED, "a Gen2 " + entry.getKey() + " password is 32 bits:"
                            + " 8 hex digits");
                }
                text.append(entry.getKey()).append('=').append(value.toUpperCase(java.util.Locale.ROOT)).append('\n');
            }
        }
        SqlRfidStore.StoredRecord record = vault.active(token);
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = vault.recordKey(token, record);
        try {
            if (!store.putPasswords(token, new SecretSealer(key).seal(plain, "rfid-passwords:" + token.hex()),
                    clock.instant())) {
                throw new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no active token " + token);
            }
        } finally {
            SecretBytes.wipe(key);
            SecretBytes.wipe(plain);
        }
        events.change(actor, "rfid-passwords", token.hex(), "kept", (kill.isPresent() ? "kill " : "")
                + (access.isPresent() ? "access" : "").strip());
    }

    /**
     * Lets one reader claim one of a tag's passwords once, within {@link #RELEASE_VALIDITY}, for one operation
     * ({@code kill} or {@code access}); answers the release's id.
     */
    public String release(String tokenText, String readerText, String operation, String reason, String actor)
            throws Refusal {
        RfidToken token = RfidVault.token(tokenText);
        DeviceId reader = RegisteredDevices.find(registry, readerText).id();
        if (!operation.equals("kill") && !operation.equals("access")) {
            throw new Refusal(Refusal.Kind.MALFORMED, "operation is kill or access, not '" + operation + "'");
        }
        if (reason == null || reason.isBlank()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a release needs a reason; it is recorded");
        }
        if (registry.find(reader).map(d -> d.state() == io.palisade.core.device.DeviceState.REVOKED).orElse(true)) {
            throw new Refusal(Refusal.Kind.CONFLICT, "reader " + reader + " is revoked");
        }
        SqlRfidStore.StoredRecord record = vault.active(token);
        if (password(token, record, operation).isEmpty()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "the vault keeps no " + operation + " password for " + token);
        }
        String id = "rel_" + java.util.HexFormat.of().formatHex(SecretSealer.newKey(), 0, 8);
        java.time.Instant now = clock.instant();
        store.insertRelease(new SqlRfidStore.Release(id, token, reader, operation, actor, reason, now,
                now.plus(RELEASE_VALIDITY)));
        events.change(actor, "rfid-password-release", token.hex(), "none", operation + " password to reader "
                + reader + " until " + now.plus(RELEASE_VALIDITY) + " (" + id + "): " + reason);
        return id;
    }

    /**
     * A reader claims a released password over mutual TLS: the device its certificate proves must be the reader the
     * release names. Once claimed, a release is spent. Every claim, granted or not, is an {@code rfid.lookup} event.
     */
    public String claim(List<java.security.cert.X509Certificate> chain, String tokenText, String operation,
                        String address) throws Refusal {
        var proven = new io.palisade.pki.DeviceAuthenticator(registry).authenticate(chain);
        if (proven.device().isEmpty()) {
            throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "a reader claims with its device certificate: "
                    + proven.reason());
        }
        DeviceId reader = proven.device().get().id();
        RfidToken token = RfidVault.token(tokenText);
        Optional<SqlRfidStore.Release> release = store.claimRelease(token, reader, operation, clock.instant());
        Optional<String> password = release.flatMap(r -> store.find(token)
                .filter(found -> found.state() == SqlRfidStore.State.ACTIVE)
                .flatMap(found -> password(token, found, operation)));
        Map<String, String> details = new HashMap<>(Map.of("actor", "reader:" + reader, "token", token.hex(),
                "operation", operation, "outcome", password.isPresent() ? "password-released" : "password-refused"));
        release.ifPresent(r -> {
            details.put("release", r.id());
            details.put("released_by", r.actor());
        });
        events.emit(SecurityEvent.of(clock.instant(), EventType.RFID_LOOKUP, password.isPresent() ? Severity.MEDIUM
                : Severity.HIGH, reader, address, "reader " + reader + (password.isPresent() ? " claimed the "
                : " was refused the ") + operation + " password of " + token).withDetails(details));
        return password.orElseThrow(() -> new Refusal(Refusal.Kind.FORBIDDEN, "no open release of the " + operation
                + " password of " + token + " for reader " + reader));
    }

    private Optional<String> password(RfidToken token, SqlRfidStore.StoredRecord record, String operation) {
        Optional<byte[]> sealed = store.passwords(token);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] key = vault.recordKey(token, record);
        try (SecretBytes plain = new SecretSealer(key).open(sealed.get(), "rfid-passwords:" + token.hex())) {
            byte[] bytes = plain.copy();
            try {
                return new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(operation + "="))
                        .map(l -> l.substring(operation.length() + 1)).findFirst();
            } finally {
                SecretBytes.wipe(bytes);
            }
        } finally {
            SecretBytes.wipe(key);
        }
    }
}
