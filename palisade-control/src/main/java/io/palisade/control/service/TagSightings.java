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
import io.palisade.store.SqlRfidStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What RFID readers report, judged: readers are placed on the site plan (and, for LLRP readers, given the address
 * Palisade connects to); each sighting of a token in Palisade's layout is checked against the vault and the token's
 * last sighting. A token the vault never issued, a rotated or erased token, or one token at two readers further apart
 * than travel allows ({@link CloneCheck}) is a {@code radio.finding} ({@code protocol} rfid) — against the tag, not
 * the reader that honestly reported it. A malformed report is a {@code protocol.violation} against the reader.
 */
public final class TagSightings {

    private final SqlRfidStore store;
    private final DeviceRegistry registry;
    private final Events events;
    private final CloneCheck cloneCheck;
    private final Clock clock;

    public TagSightings(SqlRfidStore store, DeviceRegistry registry, Events events, CloneCheck cloneCheck,
                        Clock clock) {
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.cloneCheck = cloneCheck;
        this.clock = clock;
    }

    /** @param llrp HOST[:PORT] of a reader Palisade connects to over LLRP (port 5084 when omitted) */
    public void placeReader(String device, double x, double y, Optional<String> llrp, String actor) throws Refusal {
        DeviceId id = RegisteredDevices.find(registry, device).id();
        ReaderLocation location;
        try {
            location = new ReaderLocation(x, y);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        Optional<String> endpoint = llrp.map(String::strip).filter(s -> !s.isEmpty()).map(TagSightings::llrpEndpoint);
        if (llrp.isPresent() && endpoint.isEmpty()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + llrp.get() + "' is not HOST[:PORT]");
        }
        SqlRfidStore.Reader placed = new SqlRfidStore.Reader(location, endpoint);
        Optional<SqlRfidStore.Reader> before = Optional.ofNullable(store.readers().get(id));
        store.putReader(id, location, endpoint, clock.instant());
        events.change(actor, "rfid-reader", id.value(), before.map(TagSightings::describe).orElse("none"),
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
        DeviceId id = RegisteredDevices.find(registry, device).id();
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

    private static String describe(SqlRfidStore.Reader reader) {
        return "x " + reader.location().x() + " m, y " + reader.location().y() + " m"
                + reader.llrp().map(a -> ", LLRP " + a).orElse("");
    }
}
