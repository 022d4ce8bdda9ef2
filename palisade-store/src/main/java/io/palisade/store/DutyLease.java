package io.palisade.store;

import io.palisade.core.cluster.Duty;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * The cluster's singleton duty as a PostgreSQL session advisory lock, held on a connection of its own (outside the
 * pool, so that no pooled work can ever release it). Every instance tries to take it every {@link #CHECK_EVERY};
 * the holder checks every as often that its connection still answers and gives the duty up the moment it does not.
 * When the holder dies, PostgreSQL ends its session and frees the lock, and another instance takes the duty at its
 * next try. Two holders can overlap only while a cut-off holder has not yet noticed (at most one check interval).
 */
public final class DutyLease implements Duty, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DutyLease.class.getName());
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    /** The advisory lock key of the duty: "p-duty01" in ASCII, as a 64-bit number. */
    private static final long DUTY_LOCK = 0x702d647574793031L;

    private final String jdbcUrl;
    private final String instance;
    private final Thread checker;
    private volatile boolean held;
    private volatile boolean running = true;
    private Connection connection;

    private DutyLease(String jdbcUrl, String instance) {
        this.jdbcUrl = jdbcUrl;
        this.instance = instance;
        this.checker = new Thread(this::checkLoop, "palisade-duty-lease");
        this.checker.setDaemon(true);
    }

    /** Starts trying to take the duty on {@code url}'s PostgreSQL; the first try is made before this returns. */
    public static DutyLease start(StoreUrl url, String instance) {
        if (url.dialect() != StoreUrl.Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("a duty shared by several instances needs PostgreSQL");
        }
        DutyLease lease = new DutyLease(url.jdbcUrl(), Objects.requireNonNull(instance, "instance"));
        lease.check();
        lease.checker.start();
        return lease;
    }

    @Override
    public boolean held() {
        return held;
    }

    @Override
    public void close() {
        running = false;
        checker.interrupt();
        try {
            checker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            dropConnection(); // ends the session: PostgreSQL frees the lock for the next instance at once
        }
    }

    private void checkLoop() {
        while (running) {
            try {
                Thread.sleep(CHECK_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    private synchronized void check() {
        if (!running) {
            return;
        }
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(jdbcUrl);
                try (Statement timeout = connection.createStatement()) {
                    timeout.execute("SET statement_timeout = " + CHECK_EVERY.toMillis());
                }
            }
            if (held) {
                try (Statement alive = connection.createStatement()) {
                    alive.execute("SELECT 1");
                }
                return;
            }
            try (PreparedStatement take = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                take.setLong(1, DUTY_LOCK);
                try (ResultSet taken = take.executeQuery()) {
                    if (taken.next() && taken.getBoolean(1)) {
                        held = true;
                        LOG.log(System.Logger.Level.INFO, "instance " + instance + " now does the cluster's singleton"
                                + " duties (SIEM export, device reports, audit chain upkeep)");
                    }
                }
            }
        } catch (SQLException e) {
            if (held) {
                LOG.log(System.Logger.Level.WARNING, "instance " + instance + " lost the store and gives up the"
                        + " cluster's singleton duties until it can take them again: " + e.getMessage());
            }
            held = false;
            dropConnection();
        }
    }

    private void dropConnection() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the duty connection: " + e.getMessage());
            }
            connection = null;
        }
    }
}
