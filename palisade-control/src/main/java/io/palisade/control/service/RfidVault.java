package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.rfid.CloneCheck;
import io.palisade.core.rfid.ReaderLocation;
import io.palisade.core.rfid.RfidToken;
import io.palisade.core.rfid.TagReport;
import io.palisade.core.rfid.TagSighting;
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
 * The RFID token vault. A tag carries only a token ({@link RfidToken}); what it stands for is a record of at most
 * {@value #MAX_RECORD_BYTES} bytes kept here, encrypted (AES-256-GCM) under a key of its own that is itself sealed
 * under Palisade's sealing key ({@code DATA/sealing.key}, outside the database). Erasing a record destroys its key and
 * ciphertext (crypto-erase: no copy of the key, no record). Rotating a token (the tag is rewritten) moves the record
 * under a new token and a new key and ends the old one, so the old token seen again means the old tag or a copy still
 * exists. Every lookup is an {@code rfid.lookup} event naming who, from where and what came of it.
 *
 * <p>Readers report sightings ({@link TagReport}); a sighting is judged against the vault and the token's last
 * sighting: a token the vault never issued, a rotated or erased token, or one token at two readers further apart
 * than travel allows ({@link CloneCheck}) is a {@code radio.finding} ({@code protocol} rfid) — against the tag, not
 * the reader that honestly reported it.
 */
public final class RfidVault {

    public static final int MAX_RECORD_BYTES = 4096;

    private final SqlRfidStore store;
    private final DeviceRegistry registry;
    private final SecretSealer sealer;
    private final Events events;
    private final CloneCheck cloneCheck;
    private final Clock clock;

    public RfidVault(SqlRfidStore store, DeviceRegistry registry, SecretSealer sealer, Events events,
                     CloneCheck cloneCheck, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.sealer = sealer;
        this.events = events;
        this.cloneCheck = cloneCheck;
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

    /** How long a released tag password may be claimed. */
    public static final Duration RELEASE_VALIDITY = Duration.ofMinutes(10);

    /**
     * Keeps a tag's kill and access passwords (32 bits each, 8 hex digits), sealed under the record's own key: they
     * go with the record when it is erased or rotated (a rewritten tag gets passwords of its own).
     */
    public void setPasswords(String tokenText, Optional<String> kill, Optional<String> access, String actor)
            throws Refusal {
        RfidToken token = token(tokenText);
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
        SqlRfidStore.StoredRecord record = active(token);
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = recordKey(token, record);
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
        RfidToken token = token(tokenText);
        DeviceId reader = device(readerText);
        if (!operation.equals("kill") && !operation.equals("access")) {
            throw new Refusal(Refusal.Kind.MALFORMED, "operation is kill or access, not '" + operation + "'");
        }
        if (reason == null || reason.isBlank()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a release needs a reason; it is recorded");
        }
        if (registry.find(reader).map(d -> d.state() == io.palisade.core.device.DeviceState.REVOKED).orElse(true)) {
            throw new Refusal(Refusal.Kind.CONFLICT, "reader " + reader + " is revoked");
        }
        SqlRfidStore.StoredRecord record = active(token);
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
        RfidToken token = token(tokenText);
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

    private SqlRfidStore.StoredRecord active(RfidToken token) throws Refusal {
        return store.find(token).filter(r -> r.state() == SqlRfidStore.State.ACTIVE)
                .orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "the vault holds no active token " + token));
    }

    private Optional<String> password(RfidToken token, SqlRfidStore.StoredRecord record, String operation) {
        Optional<byte[]> sealed = store.passwords(token);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] key = recordKey(token, record);
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

    /** The record's own key, opened; the caller wipes it. */
    private byte[] recordKey(RfidToken token, SqlRfidStore.StoredRecord record) {
        try (SecretBytes wrapped = sealer.open(record.wrappedKey().orElseThrow(), "rfid-key:" + token.hex())) {
            return wrapped.copy();
        }
    }

    public List<SqlRfidStore.StoredRecord> list() {
        return store.list();
    }

    /** @param llrp HOST[:PORT] of a reader Palisade connects to over LLRP (port 5084 when omitted) */
    public void placeReader(String device, double x, double y, Optional<String> llrp, String actor) throws Refusal {
        DeviceId id = device(device);
        ReaderLocation location;
        try {
            location = new ReaderLocation(x, y);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        Optional<String> endpoint = llrp.map(String::strip).filter(s -> !s.isEmpty()).map(RfidVault::llrpEndpoint);
        if (llrp.isPresent() && endpoint.isEmpty()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + llrp.get() + "' is not HOST[:PORT]");
        }
        SqlRfidStore.Reader placed = new SqlRfidStore.Reader(location, endpoint);
        Optional<SqlRfidStore.Reader> before = Optional.ofNullable(store.readers().get(id));
        store.putReader(id, location, endpoint, clock.instant());
        events.change(actor, "rfid-reader", id.value(), before.map(RfidVault::describe).orElse("none"),
                describe(placed));
    }

    /** HOST:PORT with LLRP's port when none is given; null for text that is neither. */
    private static String llrpEndpoint(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?")
                .matcher(text);
        if (!m.matches()) {
            return null;
        }
        int port = m.group(2) == null ? 5084 : Integer.parseInt(m.group(2));
        return port < 1 || port > 65535 ? null : m.group(1) + ":" + port;
    }

    public void removeReader(String device, String actor) throws Refusal {
        DeviceId id = device(device);
        if (!store.deleteReader(id)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "device " + id + " is not a placed reader");
        }
        events.change(actor, "rfid-reader", id.value(), "placed", "none");
    }

    public Map<DeviceId, SqlRfidStore.Reader> readers() {
        return store.readers();
    }

    /** A reader's LLRP connection delivered something that is not LLRP: recorded against the reader. */
    public void malformedLlrp(DeviceId reader, String reason) {
        events.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.LOW, reader,
                "reader:" + reader, "LLRP from reader " + reader + " refused: " + reason)
                .withDetails(Map.of("protocol", "llrp", "reason", reason)));
    }

    /**
     * A reader's report ({@code devices/READER/rfid/tags}): each sighting of a token in Palisade's layout is judged
     * and remembered. A malformed report is a {@code protocol.violation} against the reader and nothing of it is
     * taken. Answers the findings raised.
     */
    public int report(DeviceId reader, byte[] payload) {
        List<TagSighting> sightings;
        try {
            sightings = TagReport.parse(reader, payload, clock.instant());
        } catch (IllegalArgumentException e) {
            events.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.LOW, reader,
                    "reader:" + reader, "RFID tag report of reader " + reader + " refused: " + e.getMessage())
                    .withDetails(Map.of("protocol", "rfid", "reason", e.getMessage())));
            return 0;
        }
        return sightings(sightings);
    }

    /** Judges and remembers sightings (from a report over MQTT or LLRP); answers the findings raised. */
    public int sightings(List<TagSighting> sightings) {
        Map<DeviceId, ReaderLocation> placed = new HashMap<>();
        store.readers().forEach((id, reader) -> placed.put(id, reader.location()));
        int findings = 0;
        for (TagSighting sighting : sightings) {
            if (sighting.token().hasTokenLayout()) {
                findings += judge(sighting, placed) ? 1 : 0;
            }
        }
        return findings;
    }

    private boolean judge(TagSighting sighting, Map<DeviceId, ReaderLocation> placed) {
        RfidToken token = sighting.token();
        Optional<SqlRfidStore.StoredRecord> stored = store.find(token);
        Optional<SqlRfidStore.Sighting> before = store.sighted(token, sighting.reader(), sighting.time());
        if (stored.isEmpty()) {
            return finding(sighting, "unknown-token", Severity.MEDIUM, "token " + token + " has Palisade's layout"
                    + " but the vault never issued it: a forged tag, or one from another vault", Map.of());
        }
        SqlRfidStore.StoredRecord record = stored.get();
        if (record.state() == SqlRfidStore.State.ROTATED) {
            return finding(sighting, "rotated-token-seen", Severity.HIGH, "token " + token + " was rotated to "
                    + record.successor().map(RfidToken::hex).orElse("?") + " on " + record.changedAt()
                    + ": the old tag, or a copy of it, still exists", Map.of());
        }
        if (record.state() == SqlRfidStore.State.ERASED) {
            return finding(sighting, "erased-token-seen", Severity.MEDIUM, "token " + token + " was erased on "
                    + record.changedAt() + " but a tag still carries it", Map.of());
        }
        if (before.isEmpty() || before.get().reader().equals(sighting.reader())) {
            return false;
        }
        ReaderLocation earlierAt = placed.get(before.get().reader());
        ReaderLocation laterAt = placed.get(sighting.reader());
        if (earlierAt == null || laterAt == null) {
            return false;
        }
        Optional<String> why = cloneCheck.impossible(earlierAt, Duration.between(before.get().at(), sighting.time()),
                laterAt);
        return why.isPresent() && finding(sighting, "clone-suspected", Severity.HIGH, "token " + token + " seen by "
                + before.get().reader() + " at " + before.get().at() + " and by " + sighting.reader() + " at "
                + sighting.time() + ": " + why.get() + "; two tags carry it", Map.of("previous_reader",
                before.get().reader().value(), "previous_time", before.get().at().toString()));
    }

    private boolean finding(TagSighting sighting, String finding, Severity severity, String message,
                            Map<String, String> more) {
        Map<String, String> details = new HashMap<>(more);
        details.put("protocol", "rfid");
        details.put("finding", finding);
        details.put("token", sighting.token().hex());
        details.put("reader", sighting.reader().value());
        events.emit(SecurityEvent.of(clock.instant(), EventType.RADIO_FINDING, severity, null,
                "reader:" + sighting.reader(), message).withDetails(details));
        return true;
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

    private static RfidToken token(String text) throws Refusal {
        try {
            return RfidToken.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private DeviceId device(String text) throws Refusal {
        return RegisteredDevices.find(registry, text).id();
    }

    private static String describe(SqlRfidStore.Reader reader) {
        return "x " + reader.location().x() + " m, y " + reader.location().y() + " m"
                + reader.llrp().map(a -> ", LLRP " + a).orElse("");
    }
}
