package io.palisade.control.service;

import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.rfid.RfidToken;
import io.palisade.core.secret.SecretBytes;
import io.palisade.core.secret.SecretSealer;
import io.palisade.store.SqlRfidStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RFID token vault. A tag carries only a token ({@link RfidToken}); what it stands for is a record of at most
 * {@value #MAX_RECORD_BYTES} bytes kept here, encrypted (AES-256-GCM) under a key of its own that is itself sealed
 * under Palisade's sealing key ({@code DATA/sealing.key}, outside the database). Erasing a record destroys its key and
 * ciphertext (crypto-erase: no copy of the key, no record). Rotating a token (the tag is rewritten) moves the record
 * under a new token and a new key and ends the old one, so the old token seen again means the old tag or a copy still
 * exists. Every lookup is an {@code rfid.lookup} event naming who, from where and what came of it. Readers' sightings
 * are judged by {@link TagSightings}; tags' passwords are kept by {@link TagPasswords}.
 */
public final class RfidVault {

    public static final int MAX_RECORD_BYTES = 4096;

    private final SqlRfidStore store;
    private final SecretSealer sealer;
    private final Events events;
    private final Clock clock;

    public RfidVault(SqlRfidStore store, SecretSealer sealer, Events events, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.events = events;
        this.clock = clock;
    }

    /** What a lookup found; {@code record} only for an active token. */
    public record Lookup(RfidToken token, SqlRfidStore.State state, Optional<String> record,
                         Optional<RfidToken> successor) {
    }

    public RfidToken issue(String record, String actor) throws Refusal {
        byte[] plain = checkedRecord(record);
        RfidToken token = RfidToken.generate();
        Sealed sealed = seal(token, plain);
        store.insert(token, sealed.wrappedKey(), sealed.ciphertext(), clock.instant());
        events.change(actor, "rfid-record", token.hex(), "none", "a record");
        return token;
    }

    public Lookup lookup(String tokenText, String actor, String address) throws Refusal {
        RfidToken token = token(tokenText);
        Optional<SqlRfidStore.StoredRecord> stored = store.find(token);
        String outcome = stored.map(r -> r.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown");
        events.emit(SecurityEvent.of(clock.instant(), EventType.RFID_LOOKUP, Severity.INFO, null, address,
                actor + " looked up RFID token " + token + ": " + outcome).withDetails(Map.of("actor", actor,
                "token", token.hex(), "outcome", outcome)));
        if (stored.isEmpty()) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no token " + token);
        }
        SqlRfidStore.StoredRecord found = stored.get();
        if (found.state() != SqlRfidStore.State.ACTIVE) {
            return new Lookup(token, found.state(), Optional.empty(), found.successor());
        }
        return new Lookup(token, found.state(), Optional.of(open(token, found)), Optional.empty());
    }

    /** Crypto-erase: the record's key and ciphertext are destroyed; the token is remembered as erased. */
    public void erase(String tokenText, String actor) throws Refusal {
        RfidToken token = token(tokenText);
        if (!store.end(token, SqlRfidStore.State.ERASED, Optional.empty(), clock.instant())) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no active token " + token);
        }
        events.change(actor, "rfid-record", token.hex(), "a record", "erased");
    }

    /** The tag is rewritten: the record moves under a new token and key; the old token ends. */
    public RfidToken rotate(String tokenText, String actor) throws Refusal {
        RfidToken old = token(tokenText);
        SqlRfidStore.StoredRecord found = store.find(old).filter(r -> r.state() == SqlRfidStore.State.ACTIVE)
                .orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no active token " + old));
        byte[] plain = open(old, found).getBytes(StandardCharsets.UTF_8);
        RfidToken replacement = RfidToken.generate();
        try {
            Sealed sealed = seal(replacement, plain);
            if (!store.rotate(old, replacement, sealed.wrappedKey(), sealed.ciphertext(), clock.instant())) {
                throw new Refusal(Refusal.Kind.CONFLICT, "token " + old + " changed while rotating; try again");
            }
        } finally {
            SecretBytes.wipe(plain);
        }
        events.change(actor, "rfid-token", old.hex(), "active", "rotated to " + replacement.hex());
        return replacement;
    }

    /** The active record of {@code token}, or why there is none. */
    SqlRfidStore.StoredRecord active(RfidToken token) throws Refusal {
        return store.find(token).filter(r -> r.state() == SqlRfidStore.State.ACTIVE)
                .orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no active token " + token));
    }

    /** The record's own key, opened; the caller wipes it. */
    byte[] recordKey(RfidToken token, SqlRfidStore.StoredRecord record) {
        try (SecretBytes wrapped = sealer.open(record.wrappedKey().orElseThrow(), "rfid-key:" + token.hex())) {
            return wrapped.copy();
        }
    }

    public List<SqlRfidStore.StoredRecord> list() {
        return store.list();
    }

    private record Sealed(byte[] wrappedKey, byte[] ciphertext) {
    }

    /** A fresh AES-256 key for this record, sealed; the record sealed under it, bound to its token. */
    private Sealed seal(RfidToken token, byte[] plain) {
        byte[] key = SecretSealer.newKey();
        try {
            return new Sealed(sealer.seal(key, "rfid-key:" + token.hex()),
                    new SecretSealer(key).seal(plain, "rfid:" + token.hex()));
        } finally {
            SecretBytes.wipe(key);
        }
    }

    private String open(RfidToken token, SqlRfidStore.StoredRecord record) {
        byte[] key = recordKey(token, record);
        try (SecretBytes plain = new SecretSealer(key).open(record.ciphertext().orElseThrow(), "rfid:" + token.hex())) {
            byte[] bytes = plain.copy();
            try {
                return new String(bytes, StandardCharsets.UTF_8);
            } finally {
                SecretBytes.wipe(bytes);
            }
        } finally {
            SecretBytes.wipe(key);
        }
    }

    private static byte[] checkedRecord(String record) throws Refusal {
        if (record == null || record.isBlank()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a vault record needs content");
        }
        byte[] plain = record.getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_RECORD_BYTES) {
            throw new Refusal(Refusal.Kind.TOO_LARGE, "a vault record holds at most " + MAX_RECORD_BYTES + " bytes");
        }
        return plain;
    }

    static RfidToken token(String text) throws Refusal {
        try {
            return RfidToken.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }


}
