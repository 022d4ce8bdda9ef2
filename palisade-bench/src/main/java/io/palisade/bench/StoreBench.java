package io.palisade.bench;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.StoreUrl;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How many security events per second PostgreSQL takes from Palisade's event store (the write rate a cluster's
 * store writers need): batches of {@code storeBatch} events appended through {@link SqlEventStore} (one transaction
 * per batch, each event chained to the one before it and the chain advanced under the cluster's advisory lock),
 * beside the same rows put into a bare table of the same columns with one JDBC batch insert per transaction, on the
 * same server. The ratio is what the audit chain costs; the server's CPU beside each figure says whether
 * PostgreSQL was the limit. Needs PostgreSQL on 127.0.0.1:5432 with trust authentication (as ./test provides).
 */
final class StoreBench {

    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private StoreBench() {
    }

    static void run(int events, int batch) throws Exception {
        String name = "palisade_bench_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(ADMIN); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        try (Database database = Database.open(StoreUrl.parse("postgresql://127.0.0.1:5432/" + name + "?user=postgres"))) {
            SqlEventStore store = new SqlEventStore(database, signer(), 10_000);
            List<SecurityEvent> batchOfEvents = events(batch);
            System.out.println("== " + events + " security events into PostgreSQL, " + batch + " per transaction ==");
            appendThroughStore(store, batchOfEvents, Math.min(events, 20 * batch)); // warm-up
            long[] cpu = postgresCpu();
            long start = System.nanoTime();
            appendThroughStore(store, batchOfEvents, events);
            double palisadeSeconds = (System.nanoTime() - start) / 1e9;
            double palisadeCpu = cpuPercent(cpu, palisadeSeconds);

            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name
                    + "?user=postgres&reWriteBatchedInserts=true")) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE bare_events (id BIGSERIAL PRIMARY KEY, time BIGINT, type TEXT, severity TEXT,"
                            + " device TEXT, source TEXT, message TEXT, details TEXT)");
                }
                c.setAutoCommit(false);
                insertBare(c, batchOfEvents, Math.min(events, 20 * batch));
                cpu = postgresCpu();
                start = System.nanoTime();
                insertBare(c, batchOfEvents, events);
                double bareSeconds = (System.nanoTime() - start) / 1e9;
                double bareCpu = cpuPercent(cpu, bareSeconds);
                System.out.printf("%-58s %10.0f events/s (PostgreSQL CPU %.0f%%)%n",
                        "Palisade's event store (chained, advisory lock)", events / palisadeSeconds, palisadeCpu);
                System.out.printf("%-58s %10.0f events/s (PostgreSQL CPU %.0f%%)%n",
                        "bare JDBC batch insert, same columns (peer)", events / bareSeconds, bareCpu);
                System.out.printf("%-58s %9.2fx%n", "ratio", bareSeconds / palisadeSeconds);
                System.out.println();
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(ADMIN); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static void appendThroughStore(SqlEventStore store, List<SecurityEvent> batch, int events) {
        for (int written = 0; written < events; written += batch.size()) {
            store.appendAll(batch);
        }
    }

    private static void insertBare(Connection c, List<SecurityEvent> batch, int events) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO bare_events (time, type, severity, device,"
                + " source, message, details) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int written = 0; written < events; written += batch.size()) {
                for (SecurityEvent event : batch) {
                    insert.setLong(1, event.time().toEpochMilli());
                    insert.setString(2, event.type().wireName());
                    insert.setString(3, event.severity().wireName());
                    insert.setString(4, event.device().map(DeviceId::value).orElse(null));
                    insert.setString(5, event.source());
                    insert.setString(6, event.message());
                    insert.setString(7, "{\"topic\":\"" + event.details().get("topic") + "\"}");
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            }
        }
    }

    private static List<SecurityEvent> events(int count) {
        List<SecurityEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new SecurityEvent(0, Instant.now(), EventType.ACL_DENIED, Severity.MEDIUM,
                    Optional.of(DeviceId.of("sensor-" + i)), "10.0.0." + (i % 250), "publish to plant/b/valve refused",
                    Map.of("topic", "plant/b/valve")));
        }
        return events;
    }

    /** Every PostgreSQL process's CPU ticks (the server's backends and writers), one entry per process. */
    private static long[] postgresCpu() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .mapToLong(p -> {
                    try {
                        return CpuTicks.of(p.pid());
                    } catch (java.io.IOException gone) {
                        return 0;
                    }
                }).toArray();
    }

    private static double cpuPercent(long[] before, double seconds) {
        long sumBefore = java.util.Arrays.stream(before).sum();
        long sumAfter = java.util.Arrays.stream(postgresCpu()).sum();
        return (sumAfter - sumBefore) * 100.0 / CpuTicks.PER_SECOND / seconds;
    }

    private static io.palisade.core.audit.ChainSigner signer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        return new io.palisade.core.audit.ChainSigner() {
            @Override
            public byte[] sign(byte[] message) {
                try {
                    Signature signature = Signature.getInstance("SHA256withECDSA");
                    signature.initSign(keys.getPrivate());
                    signature.update(message);
                    return signature.sign();
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean verify(byte[] message, byte[] signed) {
                return true;
            }
        };
    }
}
