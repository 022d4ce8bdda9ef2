package io.palisade.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.audit.ChainCheckpoint;
import io.palisade.core.audit.ChainGap;
import io.palisade.core.audit.ChainSigner;
import io.palisade.core.audit.ChainedEvent;
import io.palisade.core.audit.EventChain;
import io.palisade.core.audit.EventChainStore;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link EventStore} on SQL: events are appended in one committed transaction each, read in id order, and
 * chained ({@link EventChain}): each row keeps its link, and with a {@link ChainSigner} a signed checkpoint
 * is written in the same transaction whenever {@code checkpointEvery} events have been stored since the last,
 * and a signed gap record for every run of events {@link #prune} deletes.
 */
public final class SqlEventStore implements EventStore, EventChainStore {

    /** The columns {@link #event} reads, in its order. */
    private static final String SELECT_EVENTS = "SELECT id, time, type, severity, device, source, message, details FROM events";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {
    };

    /** Events deleted per step of a prune (each step holds the append lock briefly). */
    static final int PRUNE_CHUNK = 10_000;
    private final Database database;
    private final Optional<ChainSigner> signer;
    private final long checkpointEvery;
    // The chain's tip and the last checkpoint, read from the store on first use; guarded by this.
    private boolean tipKnown;
    /** The advisory lock key of the event chain on PostgreSQL ("palisade" in ASCII, as a 64-bit number). */
    private static final long CHAIN_LOCK = 0x70616c6973616465L;
    private byte[] tip;
    private long tipId;
    private long checkpointId;
    private Instant checkpointAt;

    /** A store whose events are chained but not checkpointed (no signer: tools and tests). */
    public SqlEventStore(Database database) {
        this(database, Optional.empty(), Long.MAX_VALUE);
    }

    /** A store that signs a checkpoint at least every {@code checkpointEvery} events with {@code signer}. */
    public SqlEventStore(Database database, ChainSigner signer, long checkpointEvery) {
        this(database, Optional.of(signer), checkpointEvery);
    }

    private SqlEventStore(Database database, Optional<ChainSigner> signer, long checkpointEvery) {
        this.database = database;
        this.signer = signer;
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be positive, got " + checkpointEvery);
        }
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public SecurityEvent append(SecurityEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /**
     * One transaction, so a burst of events costs one commit (one fsync) instead of one each. Appends are
     * serialised within the process, and across instances sharing PostgreSQL ({@link #knowTip}), so that ids
     * become visible in id order and every event links to the one before it, whoever wrote that: a reader following the events by
     * id (a SIEM destination's cursor) never sees id N+1 while N is still uncommitted, which PostgreSQL's
     * sequences would otherwise allow between concurrent transactions.
     */
    @Override
    public synchronized List<SecurityEvent> appendAll(List<SecurityEvent> batch) {
        try {
            return appendChained(batch);
        } catch (RuntimeException e) {
            tipKnown = false; // a commit that failed may still have landed: read the tip again next time
            throw e;
        }
    }

    private List<SecurityEvent> appendChained(List<SecurityEvent> batch) {
        return database.transaction("append " + batch.size() + " events", c -> {
            knowTip(c);
            byte[] link = tip;
            long linkId = tipId;
            List<SecurityEvent> stored = new ArrayList<>(batch.size());
            // Ids first, then every row with its link in one batch: one round trip for the batch instead of two per
            // event (an INSERT for the id the link needs, then an UPDATE for the link), ~25 times the write rate.
            long[] ids = reserveIds(c, batch.size());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (id, time, type, severity, device,"
                    + " source, message, details, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < batch.size(); i++) {
                    SecurityEvent withId = batch.get(i).withId(ids[i]);
                    link = EventChain.link(link == null ? EventChain.GENESIS : link, withId);
                    linkId = withId.id();
                    insert.setLong(1, linkId);
                    insert.setLong(2, withId.time().toEpochMilli());
                    insert.setString(3, withId.type().wireName());
                    insert.setString(4, withId.severity().wireName());
                    insert.setString(5, withId.device().map(DeviceId::value).orElse(null));
                    insert.setString(6, withId.source());
                    insert.setString(7, withId.message());
                    insert.setString(8, toJson(withId.details()));
                    insert.setString(9, HEX.formatHex(link));
                    insert.addBatch();
                    stored.add(withId);
                }
                insert.executeBatch();
            }
            boolean checkpoint = signer.isPresent() && linkId - checkpointId >= checkpointEvery;
            Instant now = Instant.now();
            if (checkpoint) {
                insertCheckpoint(c, linkId, link, now);
            }
            // Committed below: only then does the tip move (a rolled-back batch leaves it where it was).
            byte[] newTip = link;
            long newTipId = linkId;
            c.commit();
            tip = newTip;
            tipId = newTipId;
            if (checkpoint) {
                checkpointId = newTipId;
                checkpointAt = now;
            }
            return stored;
        });
    }

    /**
     * Makes this transaction the chain's only writer until it ends, and knows the newest link and checkpoint.
     * SQLite has one process: the first read is kept. On PostgreSQL several instances may append to one chain, so
     * a transaction-scoped advisory lock serialises their appends (and with them the order in which ids become
     * visible), and the tip is read again under the lock, since another instance may have moved it.
     */
    private void knowTip(Connection c) throws SQLException {
        if (lockChainAcrossInstances(c)) {
            tipKnown = false;
        }
        if (tipKnown) {
            return;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id, chain_hash FROM events ORDER BY id DESC LIMIT 1");
             ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                tipId = rows.getLong(1);
                String hash = rows.getString(2);
                tip = hash == null ? null : HEX.parseHex(hash);
            }
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT event_id, created_at FROM event_checkpoints ORDER BY event_id DESC LIMIT 1");
             ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                checkpointId = rows.getLong(1);
                checkpointAt = Instant.ofEpochMilli(rows.getLong(2));
            }
        }
        tipKnown = true;
    }

    /**
     * {@code count} new event ids, ascending, above every id given so far: from the table's sequence on PostgreSQL
     * (under the chain's lock, so no other instance takes ids meanwhile), after SQLite's AUTOINCREMENT high-water mark
     * (its one writer is this store, whose appends are serialised).
     */
    private long[] reserveIds(Connection c, int count) throws SQLException {
        long[] ids = new long[count];
        if (database.url().dialect() == StoreUrl.Dialect.POSTGRESQL) {
            try (PreparedStatement next = c.prepareStatement(
                    "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, ?)")) {
                next.setInt(1, count);
                try (ResultSet rows = next.executeQuery()) {
                    for (int i = 0; i < count && rows.next(); i++) {
                        ids[i] = rows.getLong(1);
                    }
                }
            }
            java.util.Arrays.sort(ids);
            return ids;
        }
        long last = 0;
        try (PreparedStatement seq = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'events'");
             ResultSet rows = seq.executeQuery()) {
            if (rows.next()) {
                last = rows.getLong(1);
            }
        }
        for (int i = 0; i < count; i++) {
            ids[i] = last + 1 + i;
        }
        return ids;
    }

    /** On PostgreSQL, waits for and holds the chain's advisory lock until the transaction ends; true if taken. */
    private boolean lockChainAcrossInstances(Connection c) throws SQLException {
        if (database.url().dialect() != StoreUrl.Dialect.POSTGRESQL) {
            return false;
        }
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, CHAIN_LOCK);
            lock.execute();
        }
        return true;
    }

    private void insertCheckpoint(Connection c, long eventId, byte[] link, Instant now) throws SQLException {
        byte[] signature = signer.orElseThrow().sign(EventChain.checkpointMessage(eventId, link));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO event_checkpoints (event_id, chain_hash,"
                + " created_at, signature) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, eventId);
            insert.setString(2, HEX.formatHex(link));
            insert.setLong(3, now.toEpochMilli());
            insert.setString(4, Base64.getEncoder().encodeToString(signature));
            insert.executeUpdate();
        }
    }

    @Override
    public synchronized Optional<ChainCheckpoint> checkpointIfDue(Instant now, long everyEvents, Duration every) {
        if (signer.isEmpty()) {
            return Optional.empty();
        }
        return database.transaction("checkpoint the audit chain", c -> {
            knowTip(c);
            boolean due = tip != null && tipId > checkpointId && (tipId - checkpointId >= everyEvents
                    || checkpointAt == null || !now.isBefore(checkpointAt.plus(every)));
            if (!due) {
                return Optional.<ChainCheckpoint>empty();
            }
            insertCheckpoint(c, tipId, tip, now);
            c.commit();
            checkpointId = tipId;
            checkpointAt = now;
            return Optional.of(new ChainCheckpoint(tipId, tip.clone(), now, new byte[0]));
        });
    }

    @Override
    public List<ChainedEvent> chained(long afterId, int limit) {
        return database.transaction("read the audit chain", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, time, type, severity, device, source, message, details, chain_hash FROM events"
                            + " WHERE id > ? ORDER BY id LIMIT ?")) {
                select.setLong(1, afterId);
                select.setInt(2, limit);
                List<ChainedEvent> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        String hash = result.getString(9);
                        rows.add(new ChainedEvent(event(result), Optional.ofNullable(hash).map(HEX::parseHex)));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public Optional<byte[]> linkAtOrBefore(long id) {
        return database.transaction("read an audit link", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT chain_hash FROM events WHERE id <= ? ORDER BY id DESC LIMIT 1")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() && rows.getString(1) != null
                            ? Optional.of(HEX.parseHex(rows.getString(1))) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public Map<Long, ChainGap> gaps() {
        return database.transaction("read audit gap records", c -> {
            Map<Long, ChainGap> gaps = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT next_id, previous_hash, created_at, signature FROM event_gaps");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    gaps.put(rows.getLong(1), new ChainGap(rows.getLong(1), HEX.parseHex(rows.getString(2)),
                            Instant.ofEpochMilli(rows.getLong(3)), Base64.getDecoder().decode(rows.getString(4))));
                }
            }
            return gaps;
        });
    }

    @Override
    public Map<Long, ChainCheckpoint> checkpoints() {
        return database.transaction("read audit checkpoints", c -> {
            Map<Long, ChainCheckpoint> checkpoints = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT event_id, chain_hash, created_at, signature FROM event_checkpoints");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    checkpoints.put(rows.getLong(1), new ChainCheckpoint(rows.getLong(1),
                            HEX.parseHex(rows.getString(2)), Instant.ofEpochMilli(rows.getLong(3)),
                            Base64.getDecoder().decode(rows.getString(4))));
                }
            }
            return checkpoints;
        });
    }

    @Override
    public long lastId() {
        return database.transaction("read the newest event id", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT MAX(id) FROM events");
                 ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<SecurityEvent> query(EventQuery query) {
        StringBuilder sql = new StringBuilder(SELECT_EVENTS + " WHERE id > ?");
        query.type().ifPresent(t -> sql.append(" AND type = ?"));
        query.device().ifPresent(d -> sql.append(" AND device = ?"));
        sql.append(" ORDER BY id LIMIT ?");
        return database.transaction("query events", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                int p = 1;
                select.setLong(p++, query.afterId());
                if (query.type().isPresent()) {
                    select.setString(p++, query.type().get().wireName());
                }
                if (query.device().isPresent()) {
                    select.setString(p++, query.device().get().value());
                }
                select.setInt(p, query.limit());
                return readAll(select);
            }
        });
    }

    @Override
    public List<SecurityEvent> newest(EventType type, int limit) {
        return database.transaction("query the newest " + type.wireName() + " events", c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT_EVENTS + " WHERE type = ? ORDER BY id DESC LIMIT ?")) {
                select.setString(1, type.wireName());
                select.setInt(2, limit);
                return readAll(select);
            }
        });
    }

    private static List<SecurityEvent> readAll(PreparedStatement select) throws java.sql.SQLException {
        try (ResultSet rows = select.executeQuery()) {
            List<SecurityEvent> events = new ArrayList<>();
            while (rows.next()) {
                events.add(event(rows));
            }
            return events;
        }
    }

    /**
     * {@inheritDoc} Deleted in chunks of {@value #PRUNE_CHUNK}, each in its own transaction under the append lock;
     * for every run of deleted events followed by a kept one, a signed gap record keeps the link the kept event
     * follows, so the chain still verifies across what retention removed.
     */
    @Override
    public long prune(Instant olderThan, long keepAtMost) {
        long deleted = 0;
        for (int gone = pruneChunk("SELECT id FROM events WHERE time < ? ORDER BY id LIMIT " + PRUNE_CHUNK,
                olderThan.toEpochMilli()); gone > 0; gone = pruneChunk("SELECT id FROM events WHERE time < ? ORDER BY"
                + " id LIMIT " + PRUNE_CHUNK, olderThan.toEpochMilli())) {
            deleted += gone;
        }
        long excess = database.transaction("count events", c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM events");
                 ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }) - keepAtMost;
        for (Severity severity : Severity.values()) { // lowest first
            while (excess > 0) {
                int gone = pruneChunk("SELECT id FROM events WHERE severity = '" + severity.wireName()
                        + "' ORDER BY id LIMIT " + Math.min(PRUNE_CHUNK, excess), Long.MIN_VALUE);
                if (gone == 0) {
                    break;
                }
                deleted += gone;
                excess -= gone;
            }
        }
        return deleted;
    }

    /** Deletes the events {@code select} names (bound to {@code parameter} unless MIN_VALUE) with gap records. */
    private synchronized int pruneChunk(String select, long parameter) {
        return database.transaction("prune events", c -> {
            lockChainAcrossInstances(c); // another instance pruning the same run would write its gap records wrong
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(select)) {
                if (parameter != Long.MIN_VALUE) {
                    query.setLong(1, parameter);
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            recordGaps(c, ids);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM events WHERE id = ?")) {
                for (long id : ids) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement orphans = c.prepareStatement("DELETE FROM event_gaps WHERE next_id NOT IN"
                    + " (SELECT id FROM events)");
                 PreparedStatement unpinned = c.prepareStatement("DELETE FROM event_checkpoints WHERE event_id NOT IN"
                         + " (SELECT id FROM events)")) {
                orphans.executeUpdate();
                unpinned.executeUpdate();
            }
            return ids.size();
        });
    }

    /**
     * Walks the events from the first of {@code ids} (sorted) in id order: where a run of them ends and a kept event
     * follows, writes the gap record for the kept event (the link of the run's last event, which it follows).
     */
    private void recordGaps(Connection c, List<Long> ids) throws SQLException {
        Set<Long> doomed = new HashSet<>(ids);
        long last = ids.get(ids.size() - 1);
        Instant now = Instant.now();
        try (PreparedStatement walk = c.prepareStatement("SELECT id, chain_hash FROM events WHERE id >= ? ORDER BY id");
             PreparedStatement gap = c.prepareStatement(database.url().dialect() == StoreUrl.Dialect.POSTGRESQL
                     ? "INSERT INTO event_gaps (next_id, previous_hash, created_at, signature) VALUES (?, ?, ?, ?)"
                     + " ON CONFLICT (next_id) DO UPDATE SET previous_hash = EXCLUDED.previous_hash,"
                     + " created_at = EXCLUDED.created_at, signature = EXCLUDED.signature"
                     : "INSERT OR REPLACE INTO event_gaps (next_id, previous_hash, created_at, signature)"
                     + " VALUES (?, ?, ?, ?)")) {
            walk.setLong(1, ids.get(0));
            walk.setFetchSize(1000);
            String runLink = null;
            try (ResultSet rows = walk.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    if (doomed.contains(id)) {
                        runLink = rows.getString(2);
                        continue;
                    }
                    if (runLink != null) { // a kept event right after deleted ones
                        byte[] previous = HEX.parseHex(runLink);
                        byte[] signature = signer.map(s -> s.sign(EventChain.gapMessage(id, previous))).orElse(new byte[0]);
                        gap.setLong(1, id);
                        gap.setString(2, runLink);
                        gap.setLong(3, now.toEpochMilli());
                        gap.setString(4, Base64.getEncoder().encodeToString(signature));
                        gap.executeUpdate();
                        runLink = null;
                    }
                    if (id > last) {
                        break;
                    }
                }
            }
        }
    }

    private static SecurityEvent event(ResultSet rows) throws SQLException {
        String device = rows.getString(5);
        return new SecurityEvent(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)),
                EventType.fromWireName(rows.getString(3)), Severity.fromWireName(rows.getString(4)),
                Optional.ofNullable(device).map(DeviceId::of), rows.getString(6), rows.getString(7),
                fromJson(rows.getString(8)));
    }

    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event details", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event details are not JSON: " + e.getMessage(), e);
        }
    }
}
